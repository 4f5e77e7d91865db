import { type SQL, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { queryOne, queryRows } from '../../db/rows';

/** One received delivery as webhook_deliveries stores it. */
export interface DeliveryRecord {
  storeId: string;
  shop: string;
  topic: string;
  eventId: string;
  webhookId: string | null;
  apiVersion: string | null;
  triggeredAt: string | null;
  status: 'accepted' | 'ignored';
  /** The payload as JSON text (the body as received, once verified to be a JSON object). */
  payload: string;
}

/** The delivery's row, and whether this call created it (false: a duplicate, now counted). */
export interface Recorded {
  id: string;
  inserted: boolean;
}

interface Waiter {
  record: DeliveryRecord;
  resolve(recorded: Recorded): void;
  reject(err: unknown): void;
}

/**
 * A group is one statement with one parameter (the rows as a JSON array), so its text, and plan,
 * is the same whatever its size. When the database is slow to commit, deliveries wait in the
 * queue: the next group takes all of them (up to this many), so throughput grows with the backlog
 * instead of the backlog growing. On PGlite a statement holds the event loop for its whole length:
 * smaller groups there.
 */
const MAX_GROUP = { postgres: 500, pglite: 50 } as const;
/**
 * Groups being written at once; the rest wait and form the next group. PGlite runs one statement
 * at a time in this process, so a second group in flight would only wait there, and be smaller.
 */
const MAX_IN_FLIGHT = { postgres: 2, pglite: 1 } as const;

/**
 * Group commit for webhook deliveries. At a thousand deliveries a second one INSERT per delivery
 * is one round trip and one commit each; here deliveries that arrive while earlier ones are
 * being written wait and go together in one multi-row INSERT ... ON CONFLICT DO NOTHING, and each
 * caller gets its own row's outcome. A delivery whose event was already recorded (by an earlier
 * delivery or an earlier row of the same group: DO NOTHING keeps the first) is then written
 * alone with the single-row upsert, which counts the duplicate exactly as before. If the group
 * statement fails (one payload the database refuses), each delivery is written alone so that it
 * fails or succeeds by itself.
 */
export class DeliveryRecorder {
  private readonly waiting: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;

  private readonly maxInFlight: number;
  private readonly maxGroup: number;

  constructor(
    private readonly db: Db,
    databaseKind: Database['kind'],
  ) {
    this.maxInFlight = MAX_IN_FLIGHT[databaseKind];
    this.maxGroup = MAX_GROUP[databaseKind];
  }

  record(record: DeliveryRecord): Promise<Recorded> {
    return new Promise<Recorded>((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** Deliveries that arrived in the same turn of the event loop go together from the start. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxGroup);
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async write(group: Waiter[]): Promise<void> {
    let rest = group;
    if (group.length > 1) {
      try {
        rest = await this.insertGroup(group);
      } catch {
        rest = group;
      }
    }
    for (const waiter of rest) {
      await upsertOne(this.db, waiter.record).then(waiter.resolve, waiter.reject);
    }
  }

  /** Inserts the group; resolves the callers whose row it created and returns the others. */
  private async insertGroup(group: Waiter[]): Promise<Waiter[]> {
    const rows = await queryRows<{ id: string; shop_domain: string; event_id: string }>(
      this.db,
      sql`insert into webhook_deliveries (store_id, shop_domain, topic, event_id, webhook_id, api_version, triggered_at, status, payload)
          select x.store_id, x.shop_domain, x.topic, x.event_id, x.webhook_id, x.api_version, x.triggered_at, x.status, x.payload
          from jsonb_to_recordset(${groupJson(group.map((w) => w.record))}::jsonb)
            as x(store_id uuid, shop_domain text, topic text, event_id text, webhook_id text, api_version text,
                 triggered_at timestamptz, status text, payload jsonb)
          on conflict (shop_domain, event_id) do nothing
          returning id, shop_domain, event_id`,
    );
    const created = new Map(rows.map((r) => [keyOf(r.shop_domain, r.event_id), String(r.id)]));
    const rest: Waiter[] = [];
    for (const waiter of group) {
      const key = keyOf(waiter.record.shop, waiter.record.eventId);
      const id = created.get(key);
      if (id === undefined) {
        rest.push(waiter);
        continue;
      }
      // The first of the group with this event created the row; any later one is a duplicate.
      created.delete(key);
      waiter.resolve({ id, inserted: true });
    }
    return rest;
  }
}

function keyOf(shop: string, eventId: string): string {
  return `${shop}\n${eventId}`;
}

/** The group's rows as one JSON array; each payload goes in as the JSON text it arrived as (no second serialization). */
function groupJson(records: DeliveryRecord[]): string {
  const rows = records.map((d) => {
    const { payload, ...rest } = d;
    const head = JSON.stringify({
      store_id: rest.storeId,
      shop_domain: rest.shop,
      topic: rest.topic,
      event_id: rest.eventId,
      webhook_id: rest.webhookId,
      api_version: rest.apiVersion,
      triggered_at: rest.triggeredAt,
      status: rest.status,
    });
    return `${head.slice(0, -1)},"payload":${payload}}`;
  });
  return `[${rows.join(',')}]`;
}

function valuesOf(d: DeliveryRecord): SQL {
  return sql`(${d.storeId}, ${d.shop}, ${d.topic}, ${d.eventId}, ${d.webhookId}, ${d.apiVersion},
              ${d.triggeredAt}::timestamptz, ${d.status}, ${d.payload}::jsonb)`;
}

/** One delivery: creates its row, or counts it as a duplicate of the row its event already has. */
async function upsertOne(db: Db, d: DeliveryRecord): Promise<Recorded> {
  const row = await queryOne<{ id: string; inserted: boolean }>(
    db,
    sql`insert into webhook_deliveries (store_id, shop_domain, topic, event_id, webhook_id, api_version, triggered_at, status, payload)
        values ${valuesOf(d)}
        on conflict (shop_domain, event_id) do update set duplicates = webhook_deliveries.duplicates + 1
        returning id, (xmax = 0) as inserted`,
  );
  return { id: String(row!.id), inserted: Boolean(row!.inserted) };
}
