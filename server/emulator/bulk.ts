import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Kind, TypeInfo, getNamedType, parse, validate, visit, visitWithTypeInfo, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ID_START, gid } from './state';
import type { EmulatorContext } from './views';

export const MAX_CONCURRENT_BULK = 5;
const PAGE = 500;

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

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

type UserError = { field: string[] | null; message: string; code: string };

/** Shopify's shape rules for a bulk query: 1 to 5 connections, nested at most two levels deep. */
export function bulkQueryShape(schema: GraphQLSchema, document: DocumentNode): { connections: number; depth: number } {
  const typeInfo = new TypeInfo(schema);
  let connections = 0;
  let depth = 0;
  let current = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          const type = typeInfo.getType();
          if (type && getNamedType(type).name.endsWith('Connection')) {
            connections += 1;
            current += 1;
            depth = Math.max(depth, current);
          }
        },
        leave() {
          const type = typeInfo.getType();
          if (type && getNamedType(type).name.endsWith('Connection')) current -= 1;
        },
      },
    }),
  );
  return { connections, depth };
}

/** Lines of one page of a bulk query: nested connections become their own lines with __parentId. */
export function flattenConnection(connection: unknown, parentId: string | null, out: string[]): number {
  const nodes = nodesOf(connection);
  for (const node of nodes) emitNode(node as Record<string, unknown>, parentId, out);
  return nodes.length;
}

function nodesOf(value: unknown): unknown[] {
  const c = value as { nodes?: unknown[]; edges?: Array<{ node: unknown }> };
  if (Array.isArray(c.nodes)) return c.nodes;
  if (Array.isArray(c.edges)) return c.edges.map((e) => e.node);
  return [];
}

function isConnectionValue(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const c = value as Record<string, unknown>;
  return Array.isArray(c.edges) || Array.isArray(c.nodes);
}

function emitNode(node: Record<string, unknown>, parentId: string | null, out: string[]): void {
  let children: string[] | undefined;
  for (const key in node) if (isConnectionValue(node[key])) (children ??= []).push(key);
  let line = node;
  if (children || parentId !== null) {
    // A fresh object rather than `delete`, which would push V8 into slow dictionary mode.
    line = {};
    for (const key in node) if (!children?.includes(key)) line[key] = node[key];
    if (parentId !== null) line.__parentId = parentId;
  }
  out.push(JSON.stringify(line));
  if (children) for (const key of children) flattenConnection(node[key], node.id as string, out);
}

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

  private active(token: string): number {
    return [...this.ops.values()].filter((o) => o.token === token && (o.status === 'CREATED' || o.status === 'RUNNING' || o.status === 'CANCELING')).length;
  }

  private create(type: BulkOperationRecord['type'], query: string, ctx: EmulatorContext, clientIdentifier: string | null = null): BulkOperationRecord {
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

  runQuery(query: string, ctx: EmulatorContext): { op?: BulkOperationRecord; userErrors: UserError[] } {
    if (this.active(ctx.token) >= MAX_CONCURRENT_BULK) {
      return { userErrors: [{ field: null, message: `A maximum of ${MAX_CONCURRENT_BULK} bulk operations can run at the same time for this app and shop.`, code: 'LIMIT_REACHED' }] };
    }
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      return { userErrors: [{ field: ['query'], message: `Invalid bulk query: ${(err as Error).message}`, code: 'INVALID' }] };
    }
    const errors = validate(this.deps.schema, document);
    if (errors.length) return { userErrors: [{ field: ['query'], message: `Invalid bulk query: ${errors.map((e) => e.message).join('; ')}`, code: 'INVALID' }] };
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const roots = op?.selectionSet.selections.filter((s) => s.kind === Kind.FIELD) ?? [];
    if (!op || op.operation !== 'query' || roots.length !== 1) {
      return { userErrors: [{ field: ['query'], message: 'Bulk queries must contain exactly one top-level field.', code: 'INVALID' }] };
    }
    const rootName = roots[0]!.kind === Kind.FIELD ? roots[0]!.name.value : '';
    if (rootName === 'node' || rootName === 'nodes') {
      return { userErrors: [{ field: ['query'], message: 'Bulk queries cannot contain a top level `node` or `nodes` field.', code: 'INVALID' }] };
    }
    const rootType = this.deps.schema.getQueryType()!.getFields()[rootName]?.type.toString() ?? '';
    if (!rootType.includes('Connection')) return { userErrors: [{ field: ['query'], message: 'Bulk queries must contain at least one connection.', code: 'INVALID' }] };
    const shape = bulkQueryShape(this.deps.schema, document);
    if (shape.connections > 5) return { userErrors: [{ field: ['query'], message: 'Bulk queries cannot contain more than 5 connections.', code: 'INVALID' }] };
    if (shape.depth > 2) return { userErrors: [{ field: ['query'], message: 'Bulk queries cannot contain connections nested more than 2 levels deep.', code: 'INVALID' }] };
    const record = this.create('QUERY', query, ctx);
    this.track(this.executeQuery(record, document, ctx));
    return { op: record, userErrors: [] };
  }

  runMutation(mutation: string, upload: Buffer | undefined, ctx: EmulatorContext, clientIdentifier: string | null) {
    if (this.active(ctx.token) >= MAX_CONCURRENT_BULK) {
      return { userErrors: [{ field: null, message: `A maximum of ${MAX_CONCURRENT_BULK} bulk operations can run at the same time for this app and shop.`, code: 'LIMIT_REACHED' }] };
    }
    if (!upload) return { userErrors: [{ field: ['stagedUploadPath'], message: 'The staged upload file does not exist.', code: 'NO_SUCH_FILE' }] };
    let document: DocumentNode;
    try {
      document = parse(mutation);
    } catch (err) {
      return { userErrors: [{ field: ['mutation'], message: `Invalid mutation: ${(err as Error).message}`, code: 'INVALID_MUTATION' }] };
    }
    const errors = validate(this.deps.schema, document);
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (errors.length || !op || op.operation !== 'mutation' || op.selectionSet.selections.length !== 1) {
      return { userErrors: [{ field: ['mutation'], message: `Invalid mutation: ${errors.map((e) => e.message).join('; ') || 'exactly one mutation field is required'}`, code: 'INVALID_MUTATION' }] };
    }
    const lines = upload.toString('utf8').split('\n').filter((l) => l.trim());
    const variables: Array<Record<string, unknown>> = [];
    for (const line of lines) {
      try {
        variables.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return { userErrors: [{ field: ['stagedUploadPath'], message: 'The staged upload is not valid JSONL.', code: 'INVALID_STAGED_UPLOAD_FILE' }] };
      }
    }
    const record = this.create('MUTATION', mutation, ctx, clientIdentifier);
    this.track(this.executeMutation(record, document, variables, ctx));
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
      parent.core.log({ mutation: 'bulkOperationFailed', actor: 'bulk', token: op.token, idempotencyKey: null, target: [gid('BulkOperation', op.id)], input: (err as Error).message });
      this.notify(op, parent);
    }
  }

  private async executeMutation(op: BulkOperationRecord, document: DocumentNode, variables: Array<Record<string, unknown>>, parent: EmulatorContext): Promise<void> {
    await new Promise((r) => setImmediate(r));
    op.status = 'RUNNING';
    const file = this.filePath(op.id);
    const stream = createWriteStream(file);
    const ctx: EmulatorContext = { ...parent, actor: 'bulk', bulk: undefined };
    for (let i = 0; i < variables.length; i++) {
      if (this.cancelled.has(op.id)) break;
      const result = this.deps.run(document, variables[i]!, ctx);
      const line = JSON.stringify({ ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path })) } : {}), data: result.data ?? null, __lineNumber: i });
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

export class BulkOperationView {
  readonly __typename = 'BulkOperation';
  constructor(private readonly op: BulkOperationRecord) {}
  get id() { return gid('BulkOperation', this.op.id); }
  get status() { return this.op.status; }
  get type() { return this.op.type; }
  get query() { return this.op.query; }
  get createdAt() { return this.op.createdAt; }
  get completedAt() { return this.op.completedAt; }
  get objectCount() { return String(this.op.objectCount); }
  get rootObjectCount() { return String(this.op.rootObjectCount); }
  get fileSize() { return this.op.fileSize === null ? null : String(this.op.fileSize); }
  get url() { return this.op.url; }
  get partialDataUrl() { return null; }
  get errorCode() { return this.op.errorCode; }
}
