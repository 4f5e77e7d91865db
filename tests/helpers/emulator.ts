import type { Emulator } from '../../server/emulator/index';

/** The local Shopify for tests and benchmarks (server/emulator), re-exported where helpers look for it. */
export { startEmulator, type Emulator } from '../../server/emulator/index';

export interface GraphQLAnswer<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
  extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } };
}

/** Sends one GraphQL request to the emulator over HTTP, as the real endpoint is called. */
export async function adminQuery<T = any>(emulator: Emulator, query: string, variables?: Record<string, unknown>, token = emulator.accessToken): Promise<GraphQLAnswer<T>> {
  const res = await fetch(emulator.adminUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: res.status, ...(body as object) } as GraphQLAnswer<T>;
}

export async function control(emulator: Emulator, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${emulator.url}/__emulator${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
