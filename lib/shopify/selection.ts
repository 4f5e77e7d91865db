import { ENTITY_FIELDS, normalizeDocument } from '../sync/fields';
import type { EntityType, FieldValues } from '../sync/model';

/**
 * The field list's Shopify paths (lib/sync/fields.ts `shopify.read` / `shopify.write`) turned into
 * what the documents and writes need: GraphQL selections, documents read from answers, mutation
 * inputs. Nothing else spells out a synced field's place in Shopify's objects.
 */

type Tree = Map<string, Tree>;

function insert(tree: Tree, path: string): void {
  let node = tree;
  for (const part of path.split('.')) {
    let child = node.get(part);
    if (!child) {
      child = new Map();
      node.set(part, child);
    }
    node = child;
  }
}

function render(tree: Tree, indent: string, raw: Readonly<Record<string, string>>, at: string): string {
  const lines: string[] = [];
  for (const [name, children] of tree) {
    const path = at ? `${at}.${name}` : name;
    const extra = raw[path] ?? '';
    if (children.size === 0 && !extra) lines.push(`${indent}${name}`);
    else lines.push(`${indent}${name} {\n${render(children, `${indent}  `, raw, path)}${extra}\n${indent}}`);
  }
  return lines.join('\n');
}

/** Read paths of an entity's synced fields (fields without one are read by their own documents). */
function readPaths(entity: EntityType): string[] {
  return ENTITY_FIELDS[entity].flatMap((f) => {
    if (!f.shopify) return [];
    const { read, select } = f.shopify;
    return select ? select.map((s) => `${read}.${s}`) : [read];
  });
}

/**
 * The GraphQL selection of an entity's synced fields plus `extra` paths (ids, context), merged
 * into one tree. `raw` appends verbatim text inside the object at a path (the bulk query's
 * per-location inventory aliases). `indent` is where the selection's lines start.
 */
export function fieldSelection(
  entity: EntityType,
  options: { extra?: readonly string[]; raw?: Readonly<Record<string, string>>; indent?: string } = {},
): string {
  const tree: Tree = new Map();
  for (const path of [...(options.extra ?? []), ...readPaths(entity)]) insert(tree, path);
  for (const path of Object.keys(options.raw ?? {})) insert(tree, path);
  return render(tree, options.indent ?? '', options.raw ?? {}, '');
}

function valueAt(source: unknown, parts: readonly string[]): unknown {
  let value = source;
  for (const part of parts) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Each entity's synced fields with their read path split once: a full pull reads them for 200,000 objects. */
const READS = new Map<EntityType, ReadonlyArray<{ name: string; parts: readonly string[] }>>();

function readsOf(entity: EntityType) {
  let reads = READS.get(entity);
  if (!reads) {
    reads = ENTITY_FIELDS[entity].flatMap((f) => (f.shopify ? [{ name: f.name, parts: f.shopify.read.split('.') }] : []));
    READS.set(entity, reads);
  }
  return reads;
}

/** The synced fields of an entity out of an answer's object, each normalized (lib/sync/fields.ts). */
export function readFields(entity: EntityType, source: unknown): FieldValues {
  const picked: FieldValues = {};
  for (const { name, parts } of readsOf(entity)) picked[name] = valueAt(source, parts) ?? null;
  return normalizeDocument(entity, picked)!;
}

/** Field values as a mutation input takes them (ProductUpdateInput, ProductVariantsBulkInput...); fields not given are left out. */
export function writeInput(entity: EntityType, values: Readonly<FieldValues>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of ENTITY_FIELDS[entity]) {
    if (!f.shopify?.write || values[f.name] === undefined) continue;
    // One input object holds both (WeightInput: value and unit, neither nullable): without both, neither is written.
    if (f.writeWith && (values[f.name] === null || values[f.writeWith] === null || values[f.writeWith] === undefined)) continue;
    const parts = f.shopify.write.split('.');
    let node = input;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    // A decimal field is a Float in Shopify's input (Weight.value); canonical weights survive a double exactly.
    node[parts[parts.length - 1]!] = f.type === 'decimal' && values[f.name] !== null ? Number(values[f.name]) : values[f.name];
  }
  return input;
}
