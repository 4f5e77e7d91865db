import { type GraphQLSchema, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as documents from '@/lib/shopify/documents';
import { loadAdminSchema } from '@/lib/shopify/schema';

let schema: GraphQLSchema;

beforeAll(() => {
  schema = loadAdminSchema();
});

function errorsOf(document: string): string[] {
  return validate(schema, parse(document)).map((e) => e.message);
}

// Every document the app sends to Shopify: all of them live in lib/shopify/documents.
const entries: Array<[string, string]> = Object.entries(documents as Record<string, unknown>).filter(
  (e): e is [string, string] => typeof e[1] === 'string',
);

describe('GraphQL documents of lib/shopify', () => {
  it('exports every document the client sends', () => {
    expect(entries.length).toBeGreaterThanOrEqual(20);
    expect(entries.map(([name]) => name)).toEqual(expect.arrayContaining(['pushDriftCheckQuery', 'productsUpdatedSinceQuery']));
  });

  it.each(entries)('%s validates against the real Admin API 2026-10 schema', (_name, document) => {
    expect(errorsOf(document)).toEqual([]);
  });

  it('the bulk catalog query validates, with an alias per location', () => {
    const query = documents.buildBulkCatalogQuery(['gid://shopify/Location/1', 'gid://shopify/Location/2']);
    expect(query).toContain('level_1: inventoryLevel(locationId: "gid://shopify/Location/2")');
    expect(errorsOf(query)).toEqual([]);
  });

  it('the bulk catalog query reads variant metafields by one alias per definition, and validates', () => {
    const query = documents.buildBulkCatalogQuery(['gid://shopify/Location/1'], undefined, ['custom.size_chart', 'specs.fit']);
    expect(query).toContain('mf_1: metafield(namespace: "specs", key: "fit")');
    expect(errorsOf(query)).toEqual([]);
  });

  it('the bulk queries of an incremental read (products and stock by updated_at) validate too', () => {
    const search = "updated_at:>'2026-11-01T00:00:00Z'";
    const products = documents.buildBulkCatalogQuery(['gid://shopify/Location/1'], search);
    expect(products).toContain(`products(query: ${JSON.stringify(search)})`);
    expect(errorsOf(products)).toEqual([]);
    expect(errorsOf(documents.buildBulkInventoryLevelsQuery(search))).toEqual([]);
  });

  it('the same check rejects a misspelled field', () => {
    const misspelled = documents.getProductsByIdsQuery.replace('compareAtPrice', 'compareAtPrize');
    expect(misspelled).not.toBe(documents.getProductsByIdsQuery);
    expect(errorsOf(misspelled).join('\n')).toMatch(/Cannot query field "compareAtPrize" on type "ProductVariant"/);
  });

  it('inventorySetQuantities carries the @idempotent key the schema declares', () => {
    expect(schema.getDirective('idempotent')?.args.map((a) => a.name)).toEqual(['key']);
    expect(documents.inventorySetQuantitiesMutation).toMatch(/@idempotent\(key: \$idempotencyKey\)/);
    expect(
      errorsOf(documents.inventorySetQuantitiesMutation.replace('@idempotent(key: $idempotencyKey)', '@idempotent(token: $idempotencyKey)'))
        .length,
    ).toBeGreaterThan(0);
  });
});
