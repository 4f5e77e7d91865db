import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator/index';
import { adminQuery, waitFor } from '../helpers/emulator';

let emu: Emulator;
let hook: Server;
const finished: any[] = [];
beforeAll(async () => {
  emu = await startEmulator({ products: 600, seed: 11, plan: 'enterprise' });
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      finished.push({ topic: req.headers['x-shopify-topic'], body: JSON.parse(body) });
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  await emu?.close();
  hook?.close();
});
beforeEach(() => {
  emu.reset();
  emu.setFaults({ bulkPageDelayMs: 0 });
  finished.length = 0;
});

const RUN_QUERY = `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { bulkOperation(id: $id) { id status url objectCount rootObjectCount errorCode type } }`;

async function untilDone(id: string) {
  return waitFor(async () => {
    const res = await adminQuery(emu, POLL, { id });
    const op = res.data.bulkOperation;
    return op.status === 'COMPLETED' || op.status === 'FAILED' || op.status === 'CANCELED' ? op : undefined;
  });
}

async function lines(url: string): Promise<any[]> {
  const text = await (await fetch(url)).text();
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('emulator bulk operations', () => {
  it('runs a bulk query into JSONL with __parentId for nested connections and fires bulk_operations/finish', async () => {
    const port = (hook.address() as AddressInfo).port;
    await adminQuery(
      emu,
      `mutation { webhookSubscriptionCreate(topic: BULK_OPERATIONS_FINISH, webhookSubscription: { uri: "http://127.0.0.1:${port}/hook", format: JSON }) { userErrors { message } } }`,
    );
    const query = `{ products(query: "status:active") { edges { node { id title variants { edges { node { id sku price inventoryItem { id } } } } } } } }`;
    const run = await adminQuery(emu, RUN_QUERY, { q: query });
    expect(run.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const op = await untilDone(run.data.bulkOperationRunQuery.bulkOperation.id);
    expect(op.status).toBe('COMPLETED');
    const rows = await lines(op.url);
    const products = rows.filter((r) => r.id.includes('/Product/'));
    const variants = rows.filter((r) => r.id.includes('/ProductVariant/'));
    const active = [...emu.state.products.values()].filter((p) => p.status === 'ACTIVE');
    expect(products).toHaveLength(active.length);
    expect(variants.length).toBe(active.reduce((n, p) => n + p.variantIds.length, 0));
    expect(Number(op.objectCount)).toBe(rows.length);
    expect(Number(op.rootObjectCount)).toBe(products.length);
    const productIds = new Set(products.map((p) => p.id));
    for (const v of variants) expect(productIds.has(v.__parentId)).toBe(true);
    expect(products[0].variants).toBeUndefined();
    expect(variants[0].inventoryItem.id).toMatch(/InventoryItem/);
    const hit = await waitFor(() => finished.find((f) => f.body.admin_graphql_api_id === op.id));
    expect(hit).toMatchObject({ topic: 'bulk_operations/finish', body: { status: 'completed', type: 'query' } });
  });

  it('refuses a bulk query with a top-level node field or a misspelled field', async () => {
    const nodes = await adminQuery(emu, RUN_QUERY, { q: `{ nodes(ids: ["gid://shopify/Product/1"]) { id } }` });
    expect(nodes.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ['query'], code: 'INVALID' });
    const typo = await adminQuery(emu, RUN_QUERY, { q: `{ products { edges { node { titel } } } }` });
    expect(typo.data.bulkOperationRunQuery.userErrors[0].message).toContain('titel');
    const deep = await adminQuery(emu, RUN_QUERY, {
      q: `{ products { edges { node { id variants { edges { node { id inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }`,
    });
    expect(deep.data.bulkOperationRunQuery.userErrors[0].message).toContain('2 levels');
  });

  it('runs a bulk mutation from a staged upload and answers each line with __lineNumber', async () => {
    const staged = await adminQuery(
      emu,
      `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`,
    );
    const target = staged.data.stagedUploadsCreate.stagedTargets[0];
    const products = [...emu.state.products.values()].slice(0, 3);
    const jsonl =
      products.map((p, i) => JSON.stringify({ product: { id: `gid://shopify/Product/${p.id}`, title: `Bulk title ${i}` } })).join('\n') +
      '\n' +
      JSON.stringify({ product: { id: 'gid://shopify/Product/1', title: 'x' } });
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    form.append('file', new Blob([jsonl], { type: 'text/jsonl' }), 'vars.jsonl');
    const upload = await fetch(target.url, { method: 'POST', body: form });
    expect(upload.status).toBe(201);
    const key = target.parameters.find((p: any) => p.name === 'key').value;
    const run = await adminQuery(
      emu,
      `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id type } userErrors { field message code } } }`,
      {
        m: `mutation call($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id title } userErrors { field message } } }`,
        path: key,
      },
    );
    expect(run.data.bulkOperationRunMutation.userErrors).toEqual([]);
    const op = await untilDone(run.data.bulkOperationRunMutation.bulkOperation.id);
    expect(op).toMatchObject({ status: 'COMPLETED', type: 'MUTATION' });
    const rows = await lines(op.url);
    expect(rows.map((r) => r.__lineNumber)).toEqual([0, 1, 2, 3]);
    expect(rows[1].data.productUpdate.product.title).toBe('Bulk title 1');
    expect(rows[3].data.productUpdate.userErrors[0].message).toBe('Product does not exist');
    expect(emu.state.products.get(products[2]!.id)!.title).toBe('Bulk title 2');
    const missing = await adminQuery(
      emu,
      `mutation($m: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: "tmp/none.jsonl") { bulkOperation { id } userErrors { field code } } }`,
      {
        m: `mutation call($product: ProductUpdateInput!) { productUpdate(product: $product) { userErrors { message } } }`,
      },
    );
    expect(missing.data.bulkOperationRunMutation).toEqual({
      bulkOperation: null,
      userErrors: [{ field: ['stagedUploadPath'], code: 'NO_SUCH_FILE' }],
    });
  });

  it('allows at most five bulk operations at once and lists them with bulkOperations', async () => {
    // Slow pages keep the first five running while the sixth is asked for.
    emu.setFaults({ bulkPageDelayMs: 400 });
    const query = `{ products { edges { node { id variants { edges { node { id } } } } } } }`;
    const runs = [];
    for (let i = 0; i < 6; i++) runs.push(await adminQuery(emu, RUN_QUERY, { q: query }));
    const accepted = runs.filter((r) => r.data.bulkOperationRunQuery.bulkOperation);
    const refused = runs.filter((r) => r.data.bulkOperationRunQuery.userErrors.length);
    expect(accepted).toHaveLength(5);
    expect(refused[0]!.data.bulkOperationRunQuery.userErrors[0].code).toBe('LIMIT_REACHED');
    const cancel = await adminQuery(
      emu,
      `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`,
      { id: accepted[4]!.data.bulkOperationRunQuery.bulkOperation.id },
    );
    expect(cancel.data.bulkOperationCancel.bulkOperation.status).toBe('CANCELING');
    const ends = [];
    for (const r of accepted) ends.push((await untilDone(r.data.bulkOperationRunQuery.bulkOperation.id)).status);
    expect(ends).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELED']);
    const list = await adminQuery(emu, `{ bulkOperations(first: 10, query: "status:completed") { nodes { id status } } }`);
    expect(list.data.bulkOperations.nodes.length).toBeGreaterThanOrEqual(4);
    expect(list.data.bulkOperations.nodes.every((n: any) => n.status === 'COMPLETED')).toBe(true);
  });
});
