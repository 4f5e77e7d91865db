import { eq, sql } from 'drizzle-orm';
import { imports, type ImportRow } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { rooms } from '../../lib/realtime/events';
import { fieldSpec, moneySchema } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import { applyLocalWrites, type LocalWrite } from '../catalog/edit';
import { queryRows } from '../db/rows';
import { describeFailure } from '../operations/service';
import type { Runtime } from '../runtime';
import { publishStaged } from '../staging/events';
import type { RestageResult } from '../staging/restage';
import { IMPORT_TARGETS, type ImportTarget, KEY_TARGETS, normalizeBoolean, normalizeNumber, parseCsv, suggestMapping } from './csv';

export interface ImportInput {
  storeId: string;
  filename: string;
  bytes: Uint8Array;
  /** header -> target ('' ignores the column); default: suggested from the headers. */
  mapping?: Record<string, string>;
  /** The header holding the key (SKU or handle); default: the column mapped to sku, else handle. */
  keyColumn?: string;
  commit: boolean;
  startedBy: string;
}

export interface RowError {
  row: number;
  column: string | null;
  reason: string;
}

const PRODUCT_TARGETS = new Set(['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags']);
const VARIANT_TARGETS = new Set(['sku', 'barcode', 'price', 'compareAtPrice', 'cost', 'inventoryPolicy', 'taxable', 'tracked']);
const MONEY = new Set(['price', 'compareAtPrice', 'cost']);
const CHUNK_ROWS = 1000;
const MAX_REPORTED_ERRORS = 5000;
const PREVIEW_ROWS = 20;

interface VariantIndexRow extends Record<string, unknown> {
  key: string;
  product_key: string;
  sku: string | null;
  item: string | null;
}

interface PlannedRow {
  row: number;
  writes: LocalWrite[];
  values: Record<string, unknown>;
}

/** Turns one cell into the field's canonical value, or a reason it cannot be. */
function cellValue(target: ImportTarget, raw: string): { value: unknown } | { reason: string } {
  if (MONEY.has(target)) {
    if (raw.trim() === '' && target !== 'price') return { value: null };
    const n = normalizeNumber(raw);
    if (n === null) return { reason: `"${raw}" is not an amount` };
    const parsed = moneySchema.safeParse(n);
    return parsed.success ? { value: parsed.data } : { reason: parsed.error.issues[0]?.message ?? 'invalid amount' };
  }
  if (target === 'available') {
    const n = normalizeNumber(raw);
    if (n === null || !/^-?\d+$/.test(n)) return { reason: `"${raw}" is not a whole number` };
    return { value: Number(n) };
  }
  if (target === 'taxable' || target === 'tracked') {
    const b = normalizeBoolean(raw);
    return b === null ? { reason: `"${raw}" is not yes or no` } : { value: b };
  }
  const entity: EntityType = PRODUCT_TARGETS.has(target) ? 'product' : 'variant';
  const spec = fieldSpec(entity, target);
  if (!spec) return { value: raw };
  const parsed = spec.schema.safeParse(raw);
  return parsed.success ? { value: spec.normalize(parsed.data) } : { reason: parsed.error.issues[0]?.message ?? 'invalid value' };
}

function resolveMapping(headers: string[], given: Record<string, string> | undefined): Record<string, ImportTarget> {
  if (!given) return suggestMapping(headers);
  const out: Record<string, ImportTarget> = {};
  for (const [header, target] of Object.entries(given)) {
    if (!headers.includes(header)) throw new AppError('validation:mapping', `The mapping names a column the file does not have: ${header}`);
    if (target === '') continue;
    if (!(IMPORT_TARGETS as readonly string[]).includes(target)) throw new AppError('validation:mapping', `Unknown field ${target} for column ${header}`);
    if (Object.values(out).includes(target as ImportTarget)) throw new AppError('validation:mapping', `Two columns are mapped to ${target}`);
    out[header] = target as ImportTarget;
  }
  return out;
}

/** Parses, maps and validates the file; on commit, writes the valid rows to the master and stages them. */
export async function runImport(runtime: Runtime, input: ImportInput) {
  const csv = parseCsv(input.bytes);
  const mapping = resolveMapping(csv.headers, input.mapping);
  const keyColumn = input.keyColumn ?? Object.keys(mapping).find((h) => mapping[h] === 'sku') ?? Object.keys(mapping).find((h) => mapping[h] === 'handle');
  const keyTarget = keyColumn ? mapping[keyColumn] : undefined;
  if (!keyColumn || !keyTarget || !(KEY_TARGETS as readonly string[]).includes(keyTarget)) {
    throw new AppError('validation:no_key_column', 'The file needs a key column: SKU or handle (map one of its columns to sku or handle)', {
      headers: csv.headers,
      suggestedMapping: suggestMapping(csv.headers),
    });
  }
  const { planned, errors } = await planRows(runtime, input.storeId, csv.headers, csv.rows, mapping, keyColumn, keyTarget as 'sku' | 'handle');
  const base = {
    storeId: input.storeId,
    filename: input.filename,
    keyColumn,
    mapping,
    createdBy: input.startedBy,
    rowErrors: errors.slice(0, MAX_REPORTED_ERRORS),
  };
  const summary = { headers: csv.headers, encoding: csv.encoding, delimiter: csv.delimiter, suggestedMapping: suggestMapping(csv.headers) };
  const counts = { rows: csv.rows.length, valid: planned.length, errors: errors.length };
  if (!input.commit) {
    const [row] = await runtime.db.insert(imports).values({ ...base, status: 'previewed', counts }).returning();
    return { ...presentImport(row!), ...summary, preview: planned.slice(0, PREVIEW_ROWS).map((p) => ({ row: p.row, values: p.values })) };
  }
  return commitImport(runtime, input, base, counts, planned, summary);
}

async function commitImport(
  runtime: Runtime,
  input: ImportInput,
  base: Omit<typeof imports.$inferInsert, 'status'>,
  counts: Record<string, number>,
  planned: PlannedRow[],
  summary: Record<string, unknown>,
) {
  const handle = await runtime.operations.start({ kind: 'import', storeId: input.storeId, title: `Import ${input.filename}`, startedBy: input.startedBy, total: planned.length });
  const [row] = await runtime.db.insert(imports).values({ ...base, status: 'running', counts, operationId: handle.id }).returning();
  const importId = row!.id;
  const status = (s: string, done: number, extra: Record<string, unknown> = {}) =>
    runtime.hub.publish('import_status', [rooms.store(input.storeId), rooms.operation(handle.id)], {
      import_id: importId,
      operation_id: handle.id,
      store_id: input.storeId,
      status: s,
      progress: { done, total: planned.length },
      counts,
      ...extra,
    }).catch(() => {});
  await status('running', 0);
  const total: RestageResult = { inserted: 0, updated: 0, superseded: 0, converged: 0, counts: { incoming: 0, outgoing: 0, conflict: 0 }, changeIds: [] };
  try {
    await runtime.db.transaction(async (tx) => {
      for (let i = 0; i < planned.length; i += CHUNK_ROWS) {
        const chunk = planned.slice(i, i + CHUNK_ROWS);
        const result = await applyLocalWrites(tx, input.storeId, chunk.flatMap((p) => p.writes), 'import', runtime.logger);
        total.inserted += result.inserted;
        total.updated += result.updated;
        total.superseded += result.superseded;
        total.changeIds.push(...result.changeIds);
        for (const k of ['incoming', 'outgoing', 'conflict'] as const) total.counts[k] += result.counts[k];
        const done = Math.min(planned.length, i + CHUNK_ROWS);
        handle.progress(done, { counts: { staged: total.changeIds.length } });
        // Not awaited: on PGlite the transaction holds the only connection the event insert needs.
        void status('running', done, { staged: total.changeIds.length });
      }
    });
  } catch (err) {
    await runtime.db.update(imports).set({ status: 'failed', updatedAt: sql`now()` }).where(eq(imports.id, importId));
    await status('failed', 0, { message: describeFailure(err) });
    await handle.fail(err);
    throw err;
  }
  const finalCounts = { ...counts, staged: new Set(total.changeIds).size, unchanged: planned.length - new Set(total.changeIds).size };
  const [done] = await runtime.db.update(imports).set({ status: 'completed', counts: finalCounts, updatedAt: sql`now()` }).where(eq(imports.id, importId)).returning();
  await handle.complete(finalCounts, `${finalCounts.staged} changes staged, ${counts.errors} rows refused`);
  await status('completed', planned.length, { counts: finalCounts });
  await publishStaged(runtime.hub, input.storeId, total, 'import');
  return { ...presentImport(done!), ...summary };
}

async function planRows(
  runtime: Runtime,
  storeId: string,
  headers: string[],
  rows: string[][],
  mapping: Record<string, ImportTarget>,
  keyColumn: string,
  keyTarget: 'sku' | 'handle',
): Promise<{ planned: PlannedRow[]; errors: RowError[] }> {
  const variants = await queryRows<VariantIndexRow>(
    runtime.db,
    sql`select v.key, v.product_key, v.local->>'sku' as sku, v.meta->>'inventoryItemId' as item from catalog_entities v
        where v.store_id = ${storeId} and v.entity = 'variant' and v.local is not null`,
  );
  const products = await queryRows<{ key: string; handle: string }>(
    runtime.db,
    sql`select key, local->>'handle' as handle from catalog_entities where store_id = ${storeId} and entity = 'product' and local is not null`,
  );
  const levels = await queryRows<{ key: string }>(runtime.db, sql`select key from catalog_entities where store_id = ${storeId} and entity = 'inventory_level' and local is not null`);
  const bySku = new Map<string, VariantIndexRow[]>();
  for (const v of variants) if (v.sku) (bySku.get(v.sku) ?? bySku.set(v.sku, []).get(v.sku)!).push(v);
  const variantsOf = new Map<string, VariantIndexRow[]>();
  for (const v of variants) (variantsOf.get(v.product_key) ?? variantsOf.set(v.product_key, []).get(v.product_key)!).push(v);
  const byHandle = new Map(products.map((p) => [p.handle, p.key]));
  const levelsOfItem = new Map<string, string[]>();
  for (const l of levels) {
    const [item] = l.key.split('|');
    (levelsOfItem.get(item!) ?? levelsOfItem.set(item!, []).get(item!)!).push(l.key);
  }

  const keyIndex = headers.indexOf(keyColumn);
  const columns = headers.map((h, i) => ({ header: h, index: i, target: mapping[h] })).filter((c) => c.target && c.index !== keyIndex);
  const seen = new Map<string, number>();
  const planned: PlannedRow[] = [];
  const errors: RowError[] = [];
  rows.forEach((cells, i) => {
    const rowNumber = i + 2; // the header is row 1
    const rowErrors: RowError[] = [];
    const fail = (column: string | null, reason: string) => rowErrors.push({ row: rowNumber, column, reason });
    const key = (cells[keyIndex] ?? '').trim();
    let productKey: string | undefined;
    let variant: VariantIndexRow | undefined;
    if (!key) fail(keyColumn, `the ${keyTarget === 'sku' ? 'SKU' : 'handle'} is empty`);
    else if (seen.has(key)) fail(keyColumn, `${key} is also on row ${seen.get(key)}`);
    else if (keyTarget === 'sku') {
      const found = bySku.get(key) ?? [];
      if (found.length === 0) fail(keyColumn, `no variant has SKU ${key}`);
      else if (found.length > 1) fail(keyColumn, `${found.length} variants share SKU ${key}`);
      else [variant, productKey] = [found[0], found[0]!.product_key];
    } else {
      productKey = byHandle.get(key);
      if (!productKey) fail(keyColumn, `no product has handle ${key}`);
      else {
        const vs = variantsOf.get(productKey) ?? [];
        if (vs.length === 1) variant = vs[0];
      }
    }
    if (key) seen.set(key, rowNumber);
    const productValues: FieldValues = {};
    const variantValues: FieldValues = {};
    let available: number | undefined;
    let location: string | undefined;
    const values: Record<string, unknown> = { [keyTarget]: key };
    for (const c of columns) {
      const raw = cells[c.index] ?? '';
      if (c.target === 'location') {
        location = raw.trim() || undefined;
        continue;
      }
      if (raw.trim() === '' && !MONEY.has(c.target!)) continue;
      const parsed = cellValue(c.target!, raw);
      if ('reason' in parsed) {
        fail(c.header, parsed.reason);
        continue;
      }
      values[c.target!] = parsed.value;
      if (c.target === 'available') available = parsed.value as number;
      else if (PRODUCT_TARGETS.has(c.target!)) productValues[c.target!] = parsed.value;
      else if (VARIANT_TARGETS.has(c.target!)) variantValues[c.target!] = parsed.value;
    }
    const needsVariant = Object.keys(variantValues).length > 0 || available !== undefined;
    if (productKey && needsVariant && !variant) fail(keyColumn, `handle ${key} has several variants: key the file by SKU to change variant fields`);
    let levelKey: string | undefined;
    if (variant && available !== undefined) {
      const options = variant.item ? (levelsOfItem.get(variant.item) ?? []) : [];
      const matching = location ? options.filter((k) => k.endsWith(`|${location}`) || k.endsWith(`/${location}`)) : options;
      if (matching.length === 1) levelKey = matching[0];
      else fail(mappingHeader(mapping, 'location') ?? mappingHeader(mapping, 'available'), matching.length === 0 ? 'the variant is not stocked at that location' : 'the variant is stocked at several locations: add a location column');
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      return;
    }
    const writes: LocalWrite[] = [];
    if (Object.keys(productValues).length) writes.push({ entity: 'product', key: productKey!, values: productValues });
    if (Object.keys(variantValues).length) writes.push({ entity: 'variant', key: variant!.key, values: variantValues });
    if (levelKey) writes.push({ entity: 'inventory_level', key: levelKey, values: { available } });
    if (writes.length === 0) errors.push({ row: rowNumber, column: null, reason: 'the row changes no mapped field' });
    else planned.push({ row: rowNumber, writes, values });
  });
  return { planned, errors };
}

function mappingHeader(mapping: Record<string, ImportTarget>, target: ImportTarget): string | null {
  return Object.keys(mapping).find((h) => mapping[h] === target) ?? null;
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
