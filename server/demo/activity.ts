import type { Store } from '../../drizzle/schema';
import { AppError } from '../../lib/errors';

/**
 * The demo's "store activity" control: asks the emulator behind the store to make merchant edits
 * at a chosen rate (titles, prices, inventory, memberships, an occasional delete). Only stores
 * served by the emulator (an endpoint override) have it; real Shopify stores never do.
 */
export function emulatorOrigin(store: Store): string {
  if (!store.adminUrl)
    throw new AppError('conflict:not_demo', 'Store activity is a demo control: this store is real Shopify, not the emulator');
  return new URL(store.adminUrl).origin;
}

async function control(store: Store, method: 'GET' | 'POST', body?: unknown): Promise<Record<string, unknown>> {
  const url = `${emulatorOrigin(store)}/__emulator/activity`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': store.accessToken },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw new AppError('unavailable', `The emulator did not answer: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new AppError('unavailable', `The emulator refused the activity control (${res.status}): ${text.slice(0, 200)}`);
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function setStoreActivity(store: Store, perMinute: number): Promise<Record<string, unknown>> {
  const answer = await control(store, 'POST', { perMinute });
  return { perMinute, running: perMinute > 0, ...answer };
}

export async function getStoreActivity(store: Store): Promise<Record<string, unknown>> {
  return control(store, 'GET');
}
