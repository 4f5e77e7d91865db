import { canonicalMetafieldValue, metafieldProblem } from '../../../lib/sync/metafields';
import type { Args, EmulatorContext } from '../context';
import { byGid, gid, ID_START, type MetafieldDefinitionRecord, type MetafieldRecord } from '../state';
import { MetafieldDefinitionView, MetafieldView, metafieldDigest } from '../views/metafield';
import { logWrite, type UserError } from './common';
import { emitProduct } from './products';

/** metafieldsSet takes at most 25 metafields a call. */
const MAX_SET = 25;

type SetInput = {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
};
type Owner = { record: { metafields?: Map<string, MetafieldRecord> }; productId: number; ownerType: 'PRODUCT' | 'PRODUCTVARIANT' };

function ownerOf(ctx: EmulatorContext, ownerId: string): Owner | undefined {
  const product = byGid(ctx.state.products, ownerId, 'Product');
  if (product) return { record: product, productId: product.id, ownerType: 'PRODUCT' };
  const variant = byGid(ctx.state.variants, ownerId, 'ProductVariant');
  if (variant) return { record: variant, productId: variant.productId, ownerType: 'PRODUCTVARIANT' };
  return undefined;
}

function definitionOf(ctx: EmulatorContext, ownerType: Owner['ownerType'], namespace: string, key: string) {
  return [...ctx.state.metafieldDefinitions.values()].find((d) => d.ownerType === ownerType && d.namespace === namespace && d.key === key);
}

/** One input's errors, as Shopify words them (field under `metafields.<i>`, elementIndex i). */
function check(ctx: EmulatorContext, m: SetInput, i: number): { errors: UserError[]; owner?: Owner; type?: string } {
  const at = (name: string) => ['metafields', String(i), name];
  const err = (name: string, message: string, code: string) => ({ errors: [{ field: at(name), message, code, elementIndex: i }] });
  const owner = ownerOf(ctx, m.ownerId);
  if (!owner) return err('ownerId', 'Owner subject does not exist.', 'INVALID');
  const namespace = m.namespace ?? '$app';
  if (!/^[\w-]{2,255}$/.test(namespace) && namespace !== '$app') return err('namespace', 'Namespace is invalid.', 'INVALID');
  if (!/^[\w-]{2,64}$/.test(m.key))
    return err('key', 'Key must be between 2 and 64 characters and use only letters, numbers, hyphens or underscores.', 'INVALID');
  const definition = definitionOf(ctx, owner.ownerType, namespace, m.key);
  const existing = owner.record.metafields?.get(`${namespace}.${m.key}`);
  const type = m.type ?? definition?.type ?? existing?.type;
  if (!type) return err('type', "Type can't be blank.", 'BLANK');
  if ((definition && type !== definition.type) || (existing && type !== existing.type))
    return err('type', `Type must be the same as the definition's type: ${definition?.type ?? existing?.type}.`, 'INVALID_TYPE');
  const problem = metafieldProblem(type, canonicalMetafieldValue(type, m.value), definition as MetafieldDefinitionRecord | undefined);
  if (problem) return err('value', `Value ${problem}.`, 'INVALID_VALUE');
  if (m.compareDigest != null && (!existing || metafieldDigest(existing) !== m.compareDigest))
    return err(
      'compareDigest',
      'The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.',
      'INVALID_COMPARE_DIGEST',
    );
  return { errors: [], owner, type };
}

/** metafieldsSet: all or none; each value checked against its type (the definition's, the metafield's or the one given). */
export function metafieldsSet(args: Args, ctx: EmulatorContext) {
  const inputs = (args.metafields as SetInput[]) ?? [];
  if (inputs.length > MAX_SET)
    return {
      metafields: null,
      userErrors: [
        {
          field: ['metafields'],
          message: `Exceeded the maximum metafields input limit of ${MAX_SET}.`,
          code: 'LESS_THAN_OR_EQUAL_TO',
          elementIndex: null,
        },
      ],
    };
  const checked = inputs.map((m, i) => check(ctx, m, i));
  const errors = checked.flatMap((c) => c.errors);
  if (errors.length) return { metafields: null, userErrors: errors };
  const now = ctx.state.now();
  const touched = new Set<number>();
  const views = inputs.map((m, i) => {
    const { owner, type } = checked[i]!;
    const namespace = m.namespace ?? '$app';
    const full = `${namespace}.${m.key}`;
    owner!.record.metafields ??= new Map();
    let record = owner!.record.metafields.get(full);
    if (record) Object.assign(record, { value: m.value, updatedAt: now });
    else {
      const id = ctx.state.nextId('metafield', ID_START.metafield);
      record = { id, namespace, key: m.key, type: type!, value: m.value, createdAt: now, updatedAt: now };
      owner!.record.metafields.set(full, record);
    }
    touched.add(owner!.productId);
    return new MetafieldView(record, ctx, owner!.ownerType);
  });
  finishWrite(ctx, 'metafieldsSet', touched, inputs);
  return { metafields: views, userErrors: [] };
}

/** A write to metafields moves the product's updatedAt (the incremental pull finds it) and fires products/update. */
function finishWrite(ctx: EmulatorContext, mutation: string, productIds: Set<number>, input: unknown): void {
  for (const id of productIds) {
    const p = ctx.state.products.get(id)!;
    p.updatedAt = ctx.state.now();
    emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  }
  ctx.state.touch();
  logWrite(
    ctx,
    mutation,
    [...productIds].map((id) => gid('Product', id)),
    input,
  );
}

type Identifier = { ownerId: string; namespace: string; key: string };

/** metafieldsDelete: the identifiers deleted, null for one that had no value; an unknown owner is an error. */
export function metafieldsDelete(args: Args, ctx: EmulatorContext) {
  const inputs = (args.metafields as Identifier[]) ?? [];
  const errors: UserError[] = [];
  inputs.forEach((m, i) => {
    if (!ownerOf(ctx, m.ownerId)) errors.push({ field: ['metafields', String(i), 'ownerId'], message: 'Owner subject does not exist.' });
  });
  if (errors.length) return { deletedMetafields: null, userErrors: errors };
  const touched = new Set<number>();
  const deleted = inputs.map((m) => {
    const owner = ownerOf(ctx, m.ownerId)!;
    if (!owner.record.metafields?.delete(`${m.namespace}.${m.key}`)) return null;
    touched.add(owner.productId);
    return { __typename: 'MetafieldIdentifier', ownerId: m.ownerId, namespace: m.namespace, key: m.key };
  });
  if (touched.size) finishWrite(ctx, 'metafieldsDelete', touched, inputs);
  return { deletedMetafields: deleted, userErrors: [] };
}

type DefinitionInput = {
  name: string;
  namespace?: string | null;
  key: string;
  type: string;
  ownerType: string;
  description?: string | null;
  validations?: Array<{ name: string; value: string }> | null;
};

const DEFINITION_OWNERS = new Set(['PRODUCT', 'PRODUCTVARIANT']);

export function metafieldDefinitionCreate(args: Args, ctx: EmulatorContext) {
  const input = args.definition as DefinitionInput;
  const namespace = input.namespace ?? '$app';
  const fail = (field: string, message: string, code: string) => ({
    createdDefinition: null,
    userErrors: [{ field: ['definition', field], message, code }],
  });
  if (!DEFINITION_OWNERS.has(input.ownerType)) return fail('ownerType', `Owner type ${input.ownerType} is not emulated.`, 'INVALID');
  if (!input.name.trim()) return fail('name', "Name can't be blank.", 'BLANK');
  if (definitionOf(ctx, input.ownerType as Owner['ownerType'], namespace, input.key))
    return fail('key', `Key is in use for Product metafields on the '${namespace}' namespace.`, 'TAKEN');
  const record: MetafieldDefinitionRecord = {
    id: ctx.state.nextId('metafieldDefinition', ID_START.metafieldDefinition),
    ownerType: input.ownerType as Owner['ownerType'],
    namespace,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    type: input.type,
    validations: (input.validations ?? []).map((v) => ({ name: v.name, value: v.value })),
  };
  ctx.state.metafieldDefinitions.set(record.id, record);
  ctx.state.touch();
  logWrite(ctx, 'metafieldDefinitionCreate', [gid('MetafieldDefinition', record.id)], input);
  return { createdDefinition: new MetafieldDefinitionView(record, ctx), userErrors: [] };
}
