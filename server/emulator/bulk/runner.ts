import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { EmulatorContext } from '../context';
import type { UserError } from '../mutations/common';
import { gid, ID_START } from '../state';
import { flattenConnection } from './jsonl';
import { checkBulkMutation, checkBulkQuery } from './shape';

const MAX_CONCURRENT_BULK = 5;
const PAGE = 500;

type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

export interface BulkOperationRecord {
  id: number;
  type: 'QUERY' | 'MUTATION';
  status: BulkStatus;
  query: string;
  token: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  clientIdentifier: string | null;
}

export interface BulkDeps {
  schema: GraphQLSchema;
  /** Runs one document synchronously in the given context (no cost is charged). */
  run(document: DocumentNode, variables: Record<string, unknown>, ctx: EmulatorContext): ExecutionResult;
  /** Compiles a validated bulk query for repeated page runs. */
  compile(document: DocumentNode): (ctx: EmulatorContext) => Record<string, unknown>;
  baseUrl(): string;
  /** Pause between pages of a bulk query (a fault knob: real bulk operations take a while). */
  pageDelayMs(): number;
}

type Started = { op?: BulkOperationRecord; userErrors: UserError[] };

/**
 * Bulk operations as Shopify runs them: queued, run in the background page by page into a JSONL
 * file served by the emulator, at most five at once per app, finished with a webhook.
 */
export class BulkRunner {
  readonly ops = new Map<number, BulkOperationRecord>();
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'shopify-emulator-bulk-'));
  private nextId = ID_START.bulk;
  private cancelled = new Set<number>();
  private running = new Set<Promise<void>>();

  constructor(private readonly deps: BulkDeps) {}

  filePath(id: number): string {
    return path.join(this.dir, `${id}.jsonl`);
  }

  /** Shopify's limit on bulk operations running at once for one app: a refusal, or undefined when one more may start. */
  private limitReached(token: string): Started | undefined {
    const active = [...this.ops.values()].filter(
      (o) => o.token === token && (o.status === 'CREATED' || o.status === 'RUNNING' || o.status === 'CANCELING'),
    ).length;
    if (active < MAX_CONCURRENT_BULK) return undefined;
    const message = `A maximum of ${MAX_CONCURRENT_BULK} bulk operations can run at the same time for this app and shop.`;
    return { userErrors: [{ field: null, message, code: 'LIMIT_REACHED' }] };
  }

  private create(type: BulkOperationRecord['type'], query: string, ctx: EmulatorContext, clientIdentifier: string | null = null) {
    const op: BulkOperationRecord = {
      id: this.nextId++,
      type,
      status: 'CREATED',
      query,
      token: ctx.token,
      createdAt: ctx.state.now(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      errorCode: null,
      clientIdentifier,
    };
    this.ops.set(op.id, op);
    return op;
  }

  runQuery(query: string, ctx: EmulatorContext): Started {
    const limited = this.limitReached(ctx.token);
    if (limited) return limited;
    const checked = checkBulkQuery(this.deps.schema, query);
    if ('userErrors' in checked) return checked;
    const record = this.create('QUERY', query, ctx);
    this.track(this.executeQuery(record, checked.document, ctx));
    return { op: record, userErrors: [] };
  }

  runMutation(mutation: string, upload: Buffer | undefined, ctx: EmulatorContext, clientIdentifier: string | null): Started {
    const limited = this.limitReached(ctx.token);
    if (limited) return limited;
    const checked = checkBulkMutation(this.deps.schema, mutation, upload);
    if ('userErrors' in checked) return checked;
    const record = this.create('MUTATION', mutation, ctx, clientIdentifier);
    this.track(this.executeMutation(record, checked.document, checked.variables, ctx));
    return { op: record, userErrors: [] };
  }

  cancel(id: number): BulkOperationRecord | undefined {
    const op = this.ops.get(id);
    if (op && (op.status === 'CREATED' || op.status === 'RUNNING')) {
      op.status = 'CANCELING';
      this.cancelled.add(id);
    }
    return op;
  }

  private track(run: Promise<void>): void {
    const p = run.finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private pause(): Promise<void> {
    const delay = this.deps.pageDelayMs();
    return new Promise((r) => (delay > 0 ? setTimeout(r, delay) : setImmediate(r)));
  }

  private async executeQuery(op: BulkOperationRecord, document: DocumentNode, parent: EmulatorContext): Promise<void> {
    await this.pause();
    op.status = 'RUNNING';
    const file = this.filePath(op.id);
    const stream = createWriteStream(file);
    try {
      const bulk = { start: 0, size: PAGE, rootCount: 0 };
      const ctx: EmulatorContext = { ...parent, actor: 'bulk', bulk };
      const page = this.deps.compile(document);
      for (;;) {
        if (this.cancelled.has(op.id)) break;
        const data = page(ctx);
        const lines: string[] = [];
        const roots = flattenConnection(Object.values(data)[0], null, lines);
        op.rootObjectCount += roots;
        op.objectCount += lines.length;
        if (lines.length && !stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
        bulk.start += PAGE;
        if (bulk.start >= (bulk.rootCount ?? 0)) break;
        await this.pause();
      }
      stream.end();
      await once(stream, 'finish');
      this.finish(op, parent);
    } catch (err) {
      stream.destroy();
      op.status = 'FAILED';
      op.errorCode = 'INTERNAL_SERVER_ERROR';
      op.completedAt = parent.state.now();
      parent.core.log({
        mutation: 'bulkOperationFailed',
        actor: 'bulk',
        token: op.token,
        idempotencyKey: null,
        target: [gid('BulkOperation', op.id)],
        input: (err as Error).message,
      });
      this.notify(op, parent);
    }
  }

  private async executeMutation(
    op: BulkOperationRecord,
    document: DocumentNode,
    variables: Array<Record<string, unknown>>,
    parent: EmulatorContext,
  ): Promise<void> {
    await new Promise((r) => setImmediate(r));
    op.status = 'RUNNING';
    const file = this.filePath(op.id);
    const stream = createWriteStream(file);
    const ctx: EmulatorContext = { ...parent, actor: 'bulk', bulk: undefined };
    for (let i = 0; i < variables.length; i++) {
      if (this.cancelled.has(op.id)) break;
      const result = this.deps.run(document, variables[i]!, ctx);
      const line = JSON.stringify({
        ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path })) } : {}),
        data: result.data ?? null,
        __lineNumber: i,
      });
      op.objectCount += 1;
      op.rootObjectCount += 1;
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    stream.end();
    await once(stream, 'finish');
    this.finish(op, parent);
  }

  private finish(op: BulkOperationRecord, ctx: EmulatorContext): void {
    op.completedAt = ctx.state.now();
    if (this.cancelled.has(op.id)) {
      op.status = 'CANCELED';
    } else {
      op.status = 'COMPLETED';
      op.fileSize = statSync(this.filePath(op.id)).size;
      op.url = op.objectCount > 0 ? `${this.deps.baseUrl()}/__emulator/bulk/${op.id}.jsonl` : null;
    }
    this.notify(op, ctx);
  }

  private notify(op: BulkOperationRecord, ctx: EmulatorContext): void {
    ctx.core.webhooks.emit('BULK_OPERATIONS_FINISH', {
      admin_graphql_api_id: gid('BulkOperation', op.id),
      completed_at: op.completedAt,
      created_at: op.createdAt,
      error_code: op.errorCode?.toLowerCase() ?? null,
      status: op.status.toLowerCase(),
      type: op.type.toLowerCase(),
    });
  }

  reset(): void {
    for (const id of this.ops.keys()) this.cancelled.add(id);
    this.ops.clear();
  }

  close(): void {
    this.reset();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
