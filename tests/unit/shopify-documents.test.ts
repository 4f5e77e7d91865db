import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as documents from '@/lib/shopify/documents';
import { loadAdminSchema } from '@/lib/shopify/schema';
import * as pullDocuments from '@/server/pull/documents';

let schema: GraphQLSchema;

beforeAll(() => {
  schema = loadAdminSchema();
});

function errorsOf(document: string): string[] {
  return validate(schema, parse(document)).map((e) => e.message);
}

// Every document sent to Shopify: lib/shopify's own and the pull's incremental pass.
const entries: Array<[string, string]> = Object.entries({ ...(documents as Record<string, unknown>), ...(pullDocuments as Record<string, unknown>) }).filter((e): e is [string, string] => typeof e[1] === 'string');

describe('GraphQL documents of lib/shopify', () => {
  it('exports every document the client sends', () => {
    expect(entries.length).toBeGreaterThanOrEqual(20);
    expect(entries.map(([name]) => name)).toEqual(expect.arrayContaining(['pushDriftCheckQuery', 'productsUpdatedSinceQuery']));
  });

  it.each(entries)('%s validates against the real Admin API 2026-10 schema', (_name, document) => {
    expect(errorsOf(document)).toEqual([]);
  });

  it('the same check rejects a misspelled field', () => {
    const misspelled = documents.getProductsPageQuery.replace('compareAtPrice', 'compareAtPrize');
    expect(misspelled).not.toBe(documents.getProductsPageQuery);
    expect(errorsOf(misspelled).join('\n')).toMatch(/Cannot query field "compareAtPrize" on type "ProductVariant"/);
  });

  it('inventorySetQuantities carries the @idempotent key the schema declares', () => {
    expect(schema.getDirective('idempotent')?.args.map((a) => a.name)).toEqual(['key']);
    expect(documents.inventorySetQuantitiesMutation).toMatch(/@idempotent\(key: \$idempotencyKey\)/);
    expect(errorsOf(documents.inventorySetQuantitiesMutation.replace('@idempotent(key: $idempotencyKey)', '@idempotent(token: $idempotencyKey)')).length).toBeGreaterThan(0);
  });
});
