import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualQueryCost, requestedQueryCost } from '../../lib/shopify/cost';
import { loadAdminSchema } from '../../lib/shopify/schema';

const schema = loadAdminSchema();

describe('Shopify query cost rules', () => {
  it('charges 0 for scalars, 1 per object and 2 + first × node cost per connection', () => {
    expect(requestedQueryCost(schema, parse(`{ shop { name plan { shopifyPlus } } }`))).toBe(2);
    expect(requestedQueryCost(schema, parse(`{ products(first: 250) { edges { node { id title } } } }`))).toBe(252);
    expect(
      requestedQueryCost(
        schema,
        parse(`query($n: Int!) { products(first: $n) { nodes { id variants(first: 10) { nodes { id inventoryItem { id } } } } } }`),
        { n: 20 },
      ),
    ).toBe(2 + 20 * (1 + 2 + 10 * 2));
  });

  it('leaves out of the requested cost what @include(if: false) or @skip(if: true) leaves out of the query', () => {
    const doc = parse(`query($with: Boolean!) {
      products(first: 10) { nodes { id variants(first: 10) @include(if: $with) { nodes { id } } media(first: 5) @skip(if: true) { nodes { id } } } }
    }`);
    expect(requestedQueryCost(schema, doc, { with: false })).toBe(2 + 10 * 1);
    expect(requestedQueryCost(schema, doc, { with: true })).toBe(2 + 10 * (1 + 2 + 10));
  });

  it('charges 10 per mutation field', () => {
    expect(
      requestedQueryCost(schema, parse(`mutation { productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId } }`)),
    ).toBe(10);
  });

  it('counts what was returned for the actual cost, through aliases and fragments', () => {
    const doc = parse(
      `query { list: products(first: 50) { nodes { ...P } } } fragment P on Product { id variants(first: 10) { nodes { id } } }`,
    );
    const data = {
      list: {
        nodes: [
          { id: 'a', variants: { nodes: [{ id: 'v1' }, { id: 'v2' }] } },
          { id: 'b', variants: { nodes: [] } },
        ],
      },
    };
    expect(actualQueryCost(schema, doc, data)).toBe(2 + 2 + (2 + 2) + 2);
    expect(requestedQueryCost(schema, doc)).toBe(2 + 50 * (1 + 2 + 10));
  });
});
