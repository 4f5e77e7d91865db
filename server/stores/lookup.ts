import { sql } from 'drizzle-orm';
import type { Store } from '../../drizzle/schema';
import { queryOne } from '../db/rows';
import type { Runtime } from '../runtime';

/** What a webhook needs of its store: who it is, how to check the signature, its limits. */
export interface WebhookStore {
  id: string;
  webhookSecret: string | null;
  settings: Store['settings'];
}

/**
 * Every webhook names its store by shop domain; at a thousand deliveries a second that read
 * would be one query per delivery for a row that hardly ever changes. A found store is kept for
 * TTL_MS (a rotated secret or a deactivation takes effect within a second), and this process
 * forgets it at once when it changes the stores itself. A shop not found is never kept: a store
 * connected a moment later must be answered. Concurrent look-ups of one shop share one read.
 */
const TTL_MS = 1000;
const SERVICE = 'storeLookup';

class StoreLookup {
  private readonly entries = new Map<string, { at: number; found: Promise<WebhookStore | null> }>();

  constructor(private readonly runtime: Runtime) {}

  byShopDomain(shop: string, now = Date.now()): Promise<WebhookStore | null> {
    const hit = this.entries.get(shop);
    if (hit && now - hit.at < TTL_MS) return hit.found;
    const entry = { at: now, found: readStore(this.runtime, shop) };
    this.entries.set(shop, entry);
    const drop = () => {
      if (this.entries.get(shop) === entry) this.entries.delete(shop);
    };
    entry.found.then((store) => store ?? drop(), drop);
    return entry.found;
  }

  clear(): void {
    this.entries.clear();
  }
}

async function readStore(runtime: Runtime, shop: string): Promise<WebhookStore | null> {
  const row = await queryOne<{ id: string; webhook_secret: string | null; settings: Store['settings'] | null }>(
    runtime.db,
    sql`select id, webhook_secret, settings from stores where shop_domain = ${shop} and active`,
  );
  return row ? { id: String(row.id), webhookSecret: row.webhook_secret, settings: row.settings ?? {} } : null;
}

function lookup(runtime: Runtime): StoreLookup {
  let l = runtime.services.get(SERVICE) as StoreLookup | undefined;
  if (!l) runtime.services.set(SERVICE, (l = new StoreLookup(runtime)));
  return l;
}

/** The active store with this shop domain (lower case), or null. */
export function storeByShopDomain(runtime: Runtime, shop: string): Promise<WebhookStore | null> {
  return lookup(runtime).byShopDomain(shop);
}

/** Call after changing a store's domain, secret, settings or active flag. */
export function forgetStoreLookups(runtime: Runtime): void {
  lookup(runtime).clear();
}
