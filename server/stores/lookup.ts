import { sql } from 'drizzle-orm';
import type { Store } from '../../drizzle/schema';
import type { Db } from '../db/client';
import { queryOne } from '../db/rows';

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

export class StoreLookup {
  private readonly entries = new Map<string, { at: number; found: Promise<WebhookStore | null> }>();

  constructor(private readonly db: Db) {}

  /** The active store with this shop domain (lower case), or null. */
  byShopDomain(shop: string, now = Date.now()): Promise<WebhookStore | null> {
    const hit = this.entries.get(shop);
    if (hit && now - hit.at < TTL_MS) return hit.found;
    const entry = { at: now, found: readStore(this.db, shop) };
    this.entries.set(shop, entry);
    const drop = () => {
      if (this.entries.get(shop) === entry) this.entries.delete(shop);
    };
    entry.found.then((store) => store ?? drop(), drop);
    return entry.found;
  }

  /** Call after changing a store's domain, secret, settings or active flag. */
  clear(): void {
    this.entries.clear();
  }
}

async function readStore(db: Db, shop: string): Promise<WebhookStore | null> {
  const row = await queryOne<{ id: string; webhook_secret: string | null; settings: Store['settings'] | null }>(
    db,
    sql`select id, webhook_secret, settings from stores where shop_domain = ${shop} and active`,
  );
  return row ? { id: String(row.id), webhookSecret: row.webhook_secret, settings: row.settings ?? {} } : null;
}
