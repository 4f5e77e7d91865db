import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator/index';
import { adminQuery, control, type GraphQLAnswer } from '../helpers/emulator';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ products: 300, seed: 7 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.seed({ products: 300, seed: 7 });
  emu.setFaults({ latencyMs: 0, errorRate: 0, timeoutRate: 0, plan: 'standard' });
});

const PAGE = /* GraphQL */ `query Page($after: String, $query: String, $sortKey: ProductSortKeys) {
  products(first: 50, after: $after, query: $query, sortKey: $sortKey) {
    nodes { id handle vendor status updatedAt tags variants(first: 10) { nodes { sku } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function allPages(variables: Record<string, unknown>) {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const res: GraphQLAnswer = await adminQuery(emu, PAGE, { ...variables, after });
    expect(res.errors).toBeUndefined();
    nodes.push(...res.data.products.nodes);
    if (!res.data.products.pageInfo.hasNextPage) return nodes;
    after = res.data.products.pageInfo.endCursor;
  }
}

describe('emulator queries', () => {
  // Paging a whole catalog costs more than the standard bucket holds; these tests are about results.
  beforeEach(() => {
    emu.setFaults({ plan: 'enterprise' });
  });

  it('pages through every product once with cursors, sorted by id and by updated_at', async () => {
    const byId = await allPages({ sortKey: 'ID' });
    expect(byId).toHaveLength(300);
    expect(new Set(byId.map((p) => p.id)).size).toBe(300);
    const byUpdated = await allPages({ sortKey: 'UPDATED_AT' });
    const stamps = byUpdated.map((p) => p.updatedAt);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('keeps its place when the item under the cursor is edited between pages', async () => {
    const first = await adminQuery(emu, PAGE, { sortKey: 'UPDATED_AT' });
    const page1 = first.data.products.nodes;
    const edited = page1.at(-1);
    const update = await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, {
      p: { id: edited.id, title: 'Moved to the end' },
    });
    expect(update.data.productUpdate.userErrors).toEqual([]);
    const rest: any[] = [];
    let after = first.data.products.pageInfo.endCursor;
    for (;;) {
      const res: GraphQLAnswer = await adminQuery(emu, PAGE, { sortKey: 'UPDATED_AT', after });
      rest.push(...res.data.products.nodes);
      if (!res.data.products.pageInfo.hasNextPage) break;
      after = res.data.products.pageInfo.endCursor;
    }
    expect(rest).toHaveLength(300 - 50 + 1);
    expect(rest.at(-1).id).toBe(edited.id);
    expect(new Set([...page1, ...rest].map((p) => p.id)).size).toBe(300);
  });

  it('filters by vendor, status, tag, handle, sku, id and updated_at', async () => {
    const all = await allPages({});
    const sample = all[17];
    const vendor = await allPages({ query: `vendor:'${sample.vendor}'` });
    expect(vendor.length).toBe(all.filter((p) => p.vendor === sample.vendor).length);
    const drafts = await allPages({ query: 'status:draft' });
    expect(drafts.length).toBe(all.filter((p) => p.status === 'DRAFT').length);
    expect(drafts.length).toBeGreaterThan(0);
    const tagged = await allPages({ query: 'tag:sale' });
    expect(tagged.length).toBe(all.filter((p) => p.tags.includes('sale')).length);
    const byHandle = await allPages({ query: `handle:${sample.handle}` });
    expect(byHandle.map((p) => p.id)).toEqual([sample.id]);
    const sku = sample.variants.nodes.find((v: any) => v.sku)?.sku;
    const bySku = await allPages({ query: `sku:${sku}` });
    expect(bySku.map((p) => p.id)).toEqual([sample.id]);
    const numeric = sample.id.split('/').pop();
    const byId = await allPages({ query: `id:>${numeric}` });
    expect(byId.length).toBe(all.filter((p) => Number(p.id.split('/').pop()) > Number(numeric)).length);
    const cut = [...all.map((p) => p.updatedAt)].sort()[150];
    const recent = await allPages({ query: `updated_at:>'${cut}'` });
    expect(recent.length).toBe(all.filter((p) => p.updatedAt > cut).length);
    const count = await adminQuery(emu, `{ productsCount(query: "status:draft") { count precision } }`);
    expect(count.data.productsCount).toEqual({ count: drafts.length, precision: 'EXACT' });
  });

  it('answers node, nodes, collections with hasProduct, locations and shop', async () => {
    const first = await adminQuery(
      emu,
      `{ collections(first: 10) { nodes { id title products(first: 5) { nodes { id } } } } locations(first: 10) { nodes { id name isActive } } shop { myshopifyDomain plan { shopifyPlus } } }`,
    );
    const collection = first.data.collections.nodes.find((c: any) => c.products.nodes.length > 0);
    const productId = collection.products.nodes[0].id;
    const res = await adminQuery(
      emu,
      `query($c: ID!, $p: ID!, $ids: [ID!]!) { collection(id: $c) { hasProduct(id: $p) } nodes(ids: $ids) { id ... on Product { title } ... on Collection { handle } } node(id: $p) { __typename id } }`,
      {
        c: collection.id,
        p: productId,
        ids: [productId, collection.id, 'gid://shopify/Product/1'],
      },
    );
    expect(res.data.collection.hasProduct).toBe(true);
    expect(res.data.nodes[0].id).toBe(productId);
    expect(res.data.nodes[1].handle).toBeTruthy();
    expect(res.data.nodes[2]).toBeNull();
    expect(res.data.node.__typename).toBe('Product');
    expect(first.data.locations.nodes.length).toBeGreaterThanOrEqual(2);
    expect(first.data.shop).toEqual({ myshopifyDomain: 'emulator-store.myshopify.com', plan: { shopifyPlus: true } }); // enterprise plan set above
  });

  it('rejects a misspelled field with a validation error from the real schema', async () => {
    const res = await adminQuery(emu, `{ products(first: 1) { nodes { id titel } } }`);
    expect(res.status).toBe(200);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.message).toContain('Cannot query field "titel" on type "Product"');
  });

  it('answers a field it does not emulate with an error naming it, not a silent null', async () => {
    const res = await adminQuery(emu, `{ products(first: 1) { nodes { id templateSuffix } } }`);
    expect(res.errors?.[0]?.message).toContain('Product.templateSuffix');
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_EMULATED');
  });

  it('refuses an unknown access token with 401', async () => {
    const res = await adminQuery(emu, `{ shop { name } }`, {}, 'wrong-token');
    expect(res.status).toBe(401);
  });
});

describe('emulator cost and throttle', () => {
  it('reports requested and actual cost with the throttle status on every answer', async () => {
    const res = await adminQuery(emu, `{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }`);
    const cost = res.extensions!.cost;
    expect(cost.requestedQueryCost).toBe(2 + 10 * (1 + 2 + 5));
    expect(cost.actualQueryCost).toBeLessThanOrEqual(cost.requestedQueryCost);
    expect(cost.actualQueryCost).toBeGreaterThan(10);
    expect(cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
  });

  it('answers MAX_COST_EXCEEDED above 1000 points and rejects first above 250', async () => {
    const big = await adminQuery(emu, `{ products(first: 250) { nodes { id variants(first: 100) { nodes { id } } } } }`);
    expect(big.status).toBe(200);
    expect(big.errors?.[0]?.extensions?.code).toBe('MAX_COST_EXCEEDED');
    expect(big.data).toBeUndefined();
    const wide = await adminQuery(emu, `{ locations(first: 251) { nodes { id } } }`);
    expect(wide.errors?.[0]?.message).toMatch(/250/);
    expect(wide.data).toBeNull();
  });

  it('rejects an input array above 250 items', async () => {
    const ids = Array.from({ length: 251 }, (_, i) => `gid://shopify/Product/${i + 1}`);
    const res = await adminQuery(emu, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(res.errors?.[0]?.extensions?.code).toBe('MAX_INPUT_SIZE_EXCEEDED');
  });

  it('answers THROTTLED at HTTP 200 when the bucket cannot cover the requested cost, per token', async () => {
    const heavy = `{ products(first: 250) { nodes { id } } }`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => adminQuery(emu, heavy)));
    const throttled = answers.filter((a) => a.errors?.[0]?.extensions?.code === 'THROTTLED');
    expect(throttled.length).toBeGreaterThan(0);
    for (const t of throttled) {
      expect(t.status).toBe(200);
      expect(t.data).toBeUndefined();
      expect(t.extensions!.cost.actualQueryCost).toBeNull();
    }
    const merchant = await adminQuery(emu, heavy, {}, emu.merchantToken);
    expect(merchant.errors).toBeUndefined();
  });

  it('uses the plan presets set through the faults endpoint', async () => {
    await control(emu, '/faults', { plan: 'plus' });
    const res = await adminQuery(emu, `{ shop { plan { shopifyPlus } } }`);
    expect(res.extensions!.cost.throttleStatus).toMatchObject({ maximumAvailable: 20000, restoreRate: 1000 });
    expect(res.data.shop.plan.shopifyPlus).toBe(true);
  });
});

describe('emulator control endpoints', () => {
  it('reseeds, dumps state, lists applied mutations and resets', async () => {
    const seeded = await control(emu, '/seed', { products: 40, seed: 9 });
    expect(seeded).toMatchObject({ ok: true, products: 40, seed: 9 });
    const state = await control(emu, '/state');
    expect(state.counts.products).toBe(40);
    expect(state.products[0].variants[0].inventoryItem.levels).toBeTypeOf('object');
    const id = `gid://shopify/Product/${state.products[0].id}`;
    await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, {
      p: { id, title: 'Logged' },
    });
    const log = await control(emu, '/mutations');
    expect(log.mutations).toEqual([
      expect.objectContaining({ seq: 1, mutation: 'productUpdate', actor: 'app', idempotencyKey: null, target: [id] }),
    ]);
    await control(emu, '/reset', {});
    expect((await control(emu, '/mutations')).mutations).toEqual([]);
    expect((await control(emu, '/state')).counts.products).toBe(40);
    const bad = await control(emu, '/faults', { errorRate: 2, plan: 'gold' });
    expect(bad.error.code).toBe('bad_request');
    expect(emu.faults().errorRate).toBe(0);
  });
});

describe('emulator faults', () => {
  it('answers 5xx at the configured error rate and adds latency', async () => {
    emu.setFaults({ errorRate: 1 });
    const failed = await adminQuery(emu, `{ shop { name } }`);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    emu.setFaults({ errorRate: 0, latencyMs: 50 });
    const ok = await adminQuery(emu, `{ shop { name } }`);
    expect(ok.status).toBe(200);
    expect(ok.data.shop.name).toBeTruthy();
  });

  it('leaves a request unanswered at the configured timeout rate', async () => {
    emu.setFaults({ timeoutRate: 1, timeoutMs: 200 });
    await expect(adminQuery(emu, `{ shop { name } }`)).rejects.toThrow();
  });
});
