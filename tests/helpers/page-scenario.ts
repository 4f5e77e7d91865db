import type { Page } from 'playwright-core';
import { adminEndpoint } from '../../lib/shopify/client';
import type { Emulator } from '../../server/emulator';

/** A JSON call from inside a signed-in page (its session cookie authorizes it). */
export async function apiFromPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(p, {
        method: m,
        headers: { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    [method, path, body] as const,
  );
}

/** Shopify's side, read (or written, as a merchant in the admin with the merchant token) straight from the emulator. */
export async function shopifyGraphql(emulator: Emulator, query: string, variables: Record<string, unknown>, token = emulator.accessToken) {
  const res = await fetch(adminEndpoint(emulator.shopDomain, emulator.apiVersion, emulator.adminUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: any; errors?: unknown };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data;
}

/** Polls a GET until `done` holds for its body. */
export async function waitForApi(page: Page, path: string, done: (body: any) => boolean, timeoutMs = 60_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await apiFromPage(page, 'GET', path);
    if (res.status === 200 && done(res.body)) return res.body;
    if (Date.now() > until) throw new Error(`${path} not done after ${timeoutMs} ms: ${JSON.stringify(res.body).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a full pull as the signed-in admin and waits for it: the master adopts Shopify's catalog. */
export async function firstPull(page: Page): Promise<void> {
  const started = await apiFromPage(page, 'POST', '/api/sync/shopify/pull', { mode: 'full' });
  if (started.status !== 202) throw new Error(`pull refused: ${JSON.stringify(started.body)}`);
  const op = await waitForApi(page, `/api/operations/${started.body.operationId}`, (o) => ['completed', 'failed'].includes(o.status));
  if (op.status !== 'completed') throw new Error(`pull ${op.status}: ${JSON.stringify(op.error)}`);
}

/** Approves every outgoing change, pushes, and waits for the batch to finish; answers its id. */
export async function approveAndPush(page: Page): Promise<string> {
  await apiFromPage(page, 'POST', '/api/sync/staged/bulk-approve', { filter: { kind: 'outgoing' } });
  const pushed = await apiFromPage(page, 'POST', '/api/sync/shopify/push', {});
  if (pushed.status !== 202) throw new Error(`push refused: ${JSON.stringify(pushed.body)}`);
  await waitForApi(page, `/api/sync/batches/${pushed.body.batchId}`, (b) => ['completed', 'failed'].includes(b.status));
  return pushed.body.batchId;
}

/** How much wider than its viewport the page is (0: nothing scrolls sideways but the tables inside their own cards). */
export async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The elements reaching past the viewport's right edge, innermost first, for a failure message. */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.closest('[class*="overflow-x-auto"] *'))
      .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)} "${(el.textContent ?? '').slice(0, 40)}"`);
  });
}
