import { createHash } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { connection } from '../connection';
import type { Args, EmulatorContext } from '../context';
import type { MetafieldDefinitionRecord, MetafieldRecord } from '../state';
import { RecordView, readsRecord } from './record';

/** Shopify's digest of a metafield's value (metafieldsSet's compareDigest): any hash of what the value is. */
export function metafieldDigest(m: Pick<MetafieldRecord, 'type' | 'value'>): string {
  return createHash('sha256').update(`${m.type}\u0000${m.value}`).digest('hex');
}

export class MetafieldView extends RecordView<MetafieldRecord> {
  readonly __typename = 'Metafield';
  constructor(
    record: MetafieldRecord,
    ctx: EmulatorContext,
    private readonly owner: 'PRODUCT' | 'PRODUCTVARIANT' = 'PRODUCT',
  ) {
    super(record, ctx);
  }
  get ownerType() {
    return this.owner;
  }
  get compareDigest() {
    return metafieldDigest(this.record);
  }
  get jsonValue() {
    try {
      return JSON.parse(this.record.value);
    } catch {
      return this.record.value;
    }
  }
  get definition() {
    const d = [...this.ctx.state.metafieldDefinitions.values()].find(
      (x) => x.ownerType === this.owner && x.namespace === this.record.namespace && x.key === this.record.key,
    );
    return d ? new MetafieldDefinitionView(d, this.ctx) : null;
  }
}

readsRecord(MetafieldView, ['namespace', 'key', 'type', 'value', 'createdAt', 'updatedAt']);

export class MetafieldDefinitionView extends RecordView<MetafieldDefinitionRecord> {
  readonly __typename = 'MetafieldDefinition';
  get type() {
    const category = this.record.type.endsWith('_reference') ? 'REFERENCE' : 'TEXT';
    return { __typename: 'MetafieldDefinitionType', name: this.record.type, category };
  }
  get validations() {
    return this.record.validations.map((v) => ({
      __typename: 'MetafieldDefinitionValidation',
      name: v.name,
      value: v.value,
      type: 'string',
    }));
  }
}

readsRecord(MetafieldDefinitionView, ['name', 'namespace', 'key', 'ownerType', 'description']);

/** A product's or variant's `metafields(namespace, keys, first...)` connection. */
export function metafieldsConnection(
  owner: { metafields?: Map<string, MetafieldRecord> },
  ownerType: 'PRODUCT' | 'PRODUCTVARIANT',
  args: Args,
  ctx: EmulatorContext,
  info: GraphQLResolveInfo,
) {
  const keys = args.keys as string[] | null | undefined;
  const namespace = args.namespace as string | null | undefined;
  const list = [...(owner.metafields?.values() ?? [])]
    .filter((m) => (!keys || keys.includes(`${m.namespace}.${m.key}`)) && (!namespace || m.namespace === namespace))
    .sort((a, b) => a.id - b.id);
  return connection(list, args, ctx, info, (m) => new MetafieldView(m, ctx, ownerType));
}

/** `metafield(namespace, key)`: the key may carry the namespace (`custom.material`). */
export function metafieldOf(
  owner: { metafields?: Map<string, MetafieldRecord> },
  ownerType: 'PRODUCT' | 'PRODUCTVARIANT',
  args: Args,
  ctx: EmulatorContext,
) {
  const key = String(args.key);
  const full = args.namespace ? `${args.namespace}.${key}` : key;
  const m = owner.metafields?.get(full);
  return m ? new MetafieldView(m, ctx, ownerType) : null;
}
