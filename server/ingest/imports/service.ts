import { eq, sql } from 'drizzle-orm';
import { type ImportRow, imports } from '../../../drizzle/schema';
import { AppError, notFound } from '../../../lib/errors';
import { rooms } from '../../../lib/realtime/events';
import { type ImportTarget, isImportTarget, KEY_TARGETS, quantityLocation } from '../../../lib/sync/import-targets';
import { plural } from '../../../lib/words';
import type { CategorySearch } from '../../catalog/taxonomy';
import { describeFailure } from '../../operations/handle';
import type { Runtime } from '../../runtime';
import { publishStaged } from '../../staging/events';
import { addRestaged, noneRestaged } from '../../staging/restage';
import { type CatalogIndex, findLocation, type LocationEntry, loadCatalogIndex, withCategories, withReferences } from './catalog-index';
import { parseCsv, suggestMapping } from './csv';
import { type ImportPlan, type ProductPlan, planImport } from './plan';
import type { FileLayout } from './read-row';
import { writeProducts } from './write';

export interface ImportInput {
  storeId: string;
  filename: string;
  bytes: Uint8Array;
  /** header -> target ('' ignores the column); default: suggested from the headers. */
  mapping?: Record<string, string>;
  /** The header holding the key (handle or SKU); default: the column mapped to handle, else sku. */
  keyColumn?: string;
  /** The location (name or id) of quantities whose row names none. */
  location?: string;
  commit: boolean;
  startedBy: string;
  /** Shopify's taxonomy, for category names no pull has brought (server/catalog/taxonomy.ts). */
  categories?: CategorySearch;
}

export type { RowError } from './read-row';

/** Writes per transaction chunk: whole products, about this many writes. */
const CHUNK_WRITES = 1000;
const MAX_REPORTED_ERRORS = 5000;
const PREVIEW_ROWS = 20;
const PREVIEW_CHANGES = 200;

function resolveMapping(headers: string[], given: Record<string, string> | undefined): Record<string, ImportTarget> {
  if (!given) return suggestMapping(headers);
  const out: Record<string, ImportTarget> = {};
  for (const [header, target] of Object.entries(given)) {
    if (!headers.includes(header)) throw new AppError('validation:mapping', `The mapping names a column the file does not have: ${header}`);
    if (target === '') continue;
    if (!isImportTarget(target)) throw new AppError('validation:mapping', `Unknown field ${target} for column ${header}`);
    if (Object.values(out).includes(target)) throw new AppError('validation:mapping', `Two columns are mapped to ${target}`);
    out[header] = target;
  }
  return out;
}

/** The file's layout: its key, the location picked for the file, and the location of each per-location stock column. */
function fileLayout(
  csv: { headers: string[] },
  mapping: Record<string, ImportTarget>,
  input: ImportInput,
  index: CatalogIndex,
): FileLayout {
  const columnOf = (target: string) => Object.keys(mapping).find((h) => mapping[h] === target);
  const keyColumn = input.keyColumn ?? columnOf('handle') ?? columnOf('sku');
  const keyTarget = keyColumn ? mapping[keyColumn] : undefined;
  const details = { headers: csv.headers, suggestedMapping: suggestMapping(csv.headers) };
  if (!keyColumn || !keyTarget || !(KEY_TARGETS as readonly string[]).includes(keyTarget)) {
    throw new AppError(
      'validation:no_key_column',
      'The file needs a key column: SKU or handle (map one of its columns to sku or handle)',
      details,
    );
  }
  const located = (ref: string, what: string): LocationEntry => {
    const found = findLocation(index, ref);
    if ('reason' in found)
      throw new AppError('validation:location', `${what}: ${found.reason}`, { ...details, locations: index.locations });
    return found.location;
  };
  const quantityLocations = new Map<ImportTarget, LocationEntry>();
  for (const [header, target] of Object.entries(mapping)) {
    const name = quantityLocation(target);
    if (name) quantityLocations.set(target, located(name, `Column ${header}`));
  }
  return {
    headers: csv.headers,
    mapping,
    keyColumn,
    keyTarget: keyTarget as 'sku' | 'handle',
    fileLocation: input.location ? located(input.location, 'The location for the file') : null,
    quantityLocations,
  };
}

/** Parses, maps and validates the file; on commit, writes the accepted products to the master and stages them. */
export async function runImport(runtime: Runtime, input: ImportInput) {
  const csv = parseCsv(input.bytes);
  const mapping = resolveMapping(csv.headers, input.mapping);
  const index = await loadCatalogIndex(runtime.db, input.storeId);
  const layout = fileLayout(csv, mapping, input, index);
  const categoryColumn = csv.headers.indexOf(Object.keys(mapping).find((h) => mapping[h] === 'category') ?? '');
  if (categoryColumn >= 0)
    await withCategories(
      runtime.db,
      input.storeId,
      index,
      csv.rows.map((r) => r[categoryColumn] ?? ''),
      input.categories,
    );
  await withReferences(
    runtime.db,
    input.storeId,
    index,
    Object.entries(mapping).map(([header, target]) => ({
      target,
      cells: csv.rows.map((r) => r[csv.headers.indexOf(header)] ?? ''),
    })),
  );
  const plan = planImport(layout, index, csv.rows);
  const base = {
    storeId: input.storeId,
    filename: input.filename,
    keyColumn: layout.keyColumn,
    mapping,
    createdBy: input.startedBy,
    rowErrors: plan.errors.slice(0, MAX_REPORTED_ERRORS),
  };
  const summary = {
    headers: csv.headers,
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    suggestedMapping: suggestMapping(csv.headers),
    ignored: csv.headers.filter((h) => !mapping[h]),
    locations: index.locations,
    location: layout.fileLocation,
  };
  if (!input.commit) {
    const [row] = await runtime.db
      .insert(imports)
      .values({ ...base, status: 'previewed', counts: plan.counts })
      .returning();
    return { ...presentImport(row!), ...summary, ...previewOf(plan) };
  }
  return commitImport(runtime, input, base, plan, summary);
}

function previewOf(plan: ImportPlan) {
  return {
    preview: plan.accepted.slice(0, PREVIEW_ROWS).map((r) => ({ row: r.row, values: r.values })),
    changes: plan.products.flatMap((p) => p.changes).slice(0, PREVIEW_CHANGES),
  };
}

/** Whole products, about CHUNK_WRITES writes each. */
function chunksOf(products: ProductPlan[]): ProductPlan[][] {
  const chunks: ProductPlan[][] = [[]];
  let size = 0;
  for (const p of products) {
    if (size >= CHUNK_WRITES) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(p);
    size += p.writes.length + p.memberships.length;
  }
  return chunks;
}

async function commitImport(
  runtime: Runtime,
  input: ImportInput,
  base: Omit<typeof imports.$inferInsert, 'status'>,
  plan: ImportPlan,
  summary: Record<string, unknown>,
) {
  const counts = plan.counts;
  const total = plan.products.length;
  const handle = await runtime.operations.start({
    kind: 'import',
    storeId: input.storeId,
    title: `Import ${input.filename}`,
    startedBy: input.startedBy,
    total,
  });
  const [row] = await runtime.db
    .insert(imports)
    .values({ ...base, status: 'running', counts, operationId: handle.id })
    .returning();
  const importId = row!.id;
  const status = (s: string, done: number, extra: Record<string, unknown> = {}) =>
    runtime.hub
      .publish('import_status', [rooms.store(input.storeId), rooms.operation(handle.id)], {
        import_id: importId,
        operation_id: handle.id,
        store_id: input.storeId,
        status: s,
        progress: { done, total },
        counts,
        ...extra,
      })
      .catch(() => {});
  await status('running', 0);
  let result = noneRestaged();
  try {
    await runtime.db.transaction(async (tx) => {
      let done = 0;
      for (const chunk of chunksOf(plan.products)) {
        result = addRestaged(result, await writeProducts(tx, input.storeId, chunk, runtime.logger));
        done += chunk.length;
        handle.progress(done, { counts: { staged: result.changeIds.length } });
        // Not awaited: on PGlite the transaction holds the only connection the event insert needs.
        void status('running', done, { staged: result.changeIds.length });
      }
    });
  } catch (err) {
    await runtime.db.update(imports).set({ status: 'failed', updatedAt: sql`now()` }).where(eq(imports.id, importId));
    await status('failed', 0, { message: describeFailure(err) });
    await handle.fail(err);
    throw err;
  }
  const finalCounts = { ...counts, staged: new Set(result.changeIds).size };
  const [done] = await runtime.db
    .update(imports)
    .set({ status: 'completed', counts: finalCounts, updatedAt: sql`now()` })
    .where(eq(imports.id, importId))
    .returning();
  await handle.complete(finalCounts, `${plural(finalCounts.staged, 'change')} staged, ${plural(counts.errors, 'row')} refused`);
  await status('completed', total, { counts: finalCounts });
  await publishStaged(runtime.hub, input.storeId, result, 'import');
  return { ...presentImport(done!), ...summary, ...previewOf(plan) };
}

export function presentImport(row: ImportRow) {
  return {
    id: row.id,
    storeId: row.storeId,
    filename: row.filename,
    status: row.status,
    keyColumn: row.keyColumn,
    mapping: row.mapping,
    counts: row.counts,
    rowErrors: row.rowErrors,
    operationId: row.operationId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getImport(runtime: Runtime, id: string) {
  const [row] = await runtime.db.select().from(imports).where(eq(imports.id, id));
  if (!row) throw notFound('import', id);
  return presentImport(row);
}
