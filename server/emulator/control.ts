import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { StoreActivity } from './activity';
import type { EmulatorCore } from './core';
import { readBody, sendJson } from './http';
import type { Emulator } from './index';
import type { EmulatorFaults } from './options';
import { receiveStagedUpload } from './uploads';
import { generatedMediaSvg } from './views/media';

export interface ControlDeps {
  core: EmulatorCore;
  activity: StoreActivity;
  emulator(): Emulator;
  catalog(): { products: number; seed: number };
  faults(): EmulatorFaults;
  resetState(): void;
  apiVersion: string;
  shopDomain: string;
}

const faultsBody = z
  .object({
    latencyMs: z.number().int().min(0).max(120_000),
    errorRate: z.number().min(0).max(1),
    timeoutRate: z.number().min(0).max(1),
    timeoutMs: z.number().int().min(0).max(600_000),
    plan: z.enum(['standard', 'advanced', 'plus', 'enterprise']),
    duplicateWebhooks: z.boolean(),
    bulkPageDelayMs: z.number().int().min(0).max(60_000),
  })
  .partial()
  .strict();
const seedBody = z.object({ products: z.number().int().min(0).max(200_000).optional(), seed: z.number().int().optional() }).strict();
const activityBody = z.object({ perMinute: z.number().min(0).max(60_000) }).strict();

function stateDump(deps: ControlDeps, limit: number) {
  const { core } = deps;
  const state = core.state;
  const faults = deps.faults();
  const apiVersion = deps.apiVersion;
  const products = [...state.products.values()].slice(0, limit).map((p) => ({
    ...p,
    collectionIds: [...p.collectionIds],
    variants: p.variantIds.map((id) => {
      const v = state.variants.get(id)!;
      const item = state.inventoryItems.get(v.inventoryItemId);
      return { ...v, inventoryItem: item && { ...item, levels: Object.fromEntries(item.levels) } };
    }),
  }));
  return {
    shop: { domain: deps.shopDomain, plan: faults.plan, apiVersion },
    counts: {
      products: state.products.size,
      variants: state.variants.size,
      inventoryItems: state.inventoryItems.size,
      locations: state.locations.size,
      collections: state.collections.size,
      webhookSubscriptions: state.webhookSubscriptions.size,
      bulkOperations: core.bulk.ops.size,
    },
    locations: [...state.locations.values()],
    collections: [...state.collections.values()].map((c) => ({ ...c, productIds: [...c.productIds] })),
    webhookSubscriptions: [...state.webhookSubscriptions.values()],
    products,
  };
}

/** The /__emulator control endpoints: reset, seed, faults, mutation log, state, webhooks, activity, uploads, bulk files. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: ControlDeps): Promise<void> {
  const { core, activity } = deps;
  const emulator = deps.emulator();
  const route = url.pathname.slice('/__emulator'.length);
  const method = req.method ?? 'GET';
  const json = async <T>(schema: z.ZodType<T>): Promise<T | undefined> => {
    const raw = (await readBody(req, 1024 * 1024)).toString('utf8');
    let body: unknown = {};
    try {
      body = raw.trim() ? JSON.parse(raw) : {};
    } catch {
      sendJson(res, 400, { error: { code: 'bad_request', message: 'The body is not valid JSON' } });
      return undefined;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      sendJson(res, 400, { error: { code: 'bad_request', message: 'Invalid body', details: parsed.error.issues } });
      return undefined;
    }
    return parsed.data;
  };
  if (route === '/reset' && method === 'POST') {
    deps.resetState();
    return sendJson(res, 200, { ok: true, ...deps.catalog() });
  }
  if (route === '/seed' && method === 'POST') {
    const body = await json(seedBody);
    if (!body) return;
    emulator.seed(body);
    return sendJson(res, 200, { ok: true, ...deps.catalog() });
  }
  if (route === '/faults') {
    if (method === 'POST') {
      const body = await json(faultsBody);
      if (!body) return;
      return sendJson(res, 200, emulator.setFaults(body));
    }
    return sendJson(res, 200, deps.faults());
  }
  if (route === '/mutations') return sendJson(res, 200, { mutations: core.mutationLog });
  if (route === '/webhooks') return sendJson(res, 200, { deliveries: core.webhooks.deliveries });
  if (route === '/state') return sendJson(res, 200, stateDump(deps, Number(url.searchParams.get('limit') ?? 1000)));
  if (route === '/activity') {
    if (method === 'POST') {
      const body = await json(activityBody);
      if (!body) return;
      emulator.startActivity(body);
    }
    return sendJson(res, 200, { perMinute: activity.perMinute, edits: activity.edits });
  }
  if (route === '/staged-uploads' && method === 'POST') return receiveStagedUpload(req, res, core.uploads);
  const mediaMatch = /^\/media\/(\d+)\.svg$/.exec(route);
  if (mediaMatch && method === 'GET') {
    const media = core.state.media.get(Number(mediaMatch[1]));
    if (!media || media.url) return sendJson(res, 404, { error: { code: 'not_found', message: 'No such generated image' } });
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
    res.end(generatedMediaSvg(media));
    return;
  }
  const bulkMatch = /^\/bulk\/(\d+)\.jsonl$/.exec(route);
  if (bulkMatch && method === 'GET') {
    const file = core.bulk.filePath(Number(bulkMatch[1]));
    if (!core.bulk.ops.has(Number(bulkMatch[1])) || !existsSync(file))
      return sendJson(res, 404, { error: { code: 'not_found', message: 'No such bulk result' } });
    res.writeHead(200, { 'content-type': 'application/jsonl' });
    createReadStream(file).pipe(res);
    return;
  }
  sendJson(res, 404, { error: { code: 'not_found', message: `No emulator control endpoint ${method} ${url.pathname}` } });
}
