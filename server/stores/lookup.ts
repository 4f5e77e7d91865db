import { sql } from 'drizzle-orm';
import type { Store } from '../../drizzle/schema';
import type { Db } from '../db/client';
import { queryOne } from '../db/rows';
import type { StoreSecrets } from './secrets';

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
 * The last store found for each shop is also remembered past TTL_MS (see remembered()).
 */
const TTL_MS = 1000;

export class StoreLookup {
  private readonly entries = new Map<string, { at: number; found: Promise<WebhookStore | null> }>();
  private readonly lastFound = new Map<string, WebhookStore>();

  constructor(
    private readonly db: Db,
    private readonly secrets: StoreSecrets,
  ) {}

  /** The active store with this shop domain (lower case), or null. */
  byShopDomain(shop: string, now = Date.now()): Promise<WebhookStore | null> {
    const hit = this.entries.get(shop);
    if (hit && now - hit.at < TTL_MS) return hit.found;
    const entry = { at: now, found: readStore(this.db, this.secrets, shop) };
    this.entries.set(shop, entry);
    const drop = () => {
      if (this.entries.get(shop) === entry) this.entries.delete(shop);
    };
    entry.found.then((store) => {
      if (store) this.lastFound.set(shop, store);
      else {
        this.lastFound.delete(shop);
        drop();
      }
    }, drop);
    return entry.found;
  }

  /**
   * The store last found for this shop by this process, however long ago, without reading: for a
   * first check that costs no database work (a request from an address over its budget). Only
   * shops found to have a store are kept, so this holds at most one entry per store; whatever
   * passes this check must still pass byShopDomain's.
   */
  remembered(shop: string): WebhookStore | null {
    return this.lastFound.get(shop) ?? null;
  }

  /** Call after changing a store's domain, secret, settings or active flag. */
  clear(): void {
    this.entries.clear();
  }
}

async function readStore(db: Db, secrets: StoreSecrets, shop: string): Promise<WebhookStore | null> {
  const row = await queryOne<{ id: string; webhook_secret: string | null; settings: Store['settings'] | null }>(
    db,
    sql`select id, webhook_secret, settings from stores where shop_domain = ${shop} and active`,
  );
  return row ? { id: String(row.id), webhookSecret: secrets.open(row.webhook_secret), settings: row.settings ?? {} } : null;
}
