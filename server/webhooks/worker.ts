import { sql } from 'drizzle-orm';
import { queryRows } from '../db/rows';
import { getPullService } from '../pull/service';
import type { Runtime } from '../runtime';

/**
 * Works off accepted webhook deliveries. The webhook_deliveries table is the queue: a delivery is
 * claimed by stamping processed_at (a claim older than CLAIM_TIMEOUT is taken over, so a crash
 * loses nothing), and settled as processed or failed. Deliveries of one batch that name the same
 * product are served by one re-read. Started on receipt (kick) and swept periodically.
 */
const CLAIM_TIMEOUT = '2 minutes';
const BATCH = 50;

interface DeliveryRow extends Record<string, unknown> {
  id: string;
  store_id: string;
  topic: string;
  payload: Record<string, unknown>;
  received_at: string | Date;
}

export class WebhookWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private timer?: NodeJS.Timeout;
  /** Seconds from receipt to staged, per delivery (the latency test prints them). */
  readonly latencies: number[] = [];

  constructor(private readonly runtime: Runtime) {}

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.runtime.logger.warn({ err }, 'webhook worker failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Periodic sweep for deliveries left behind (another process died, a kick was lost). */
  start(intervalMs = 5000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref?.();
    this.runtime.onStop('webhook-worker', () => this.stop());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Resolves when nothing is being processed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.runtime.stopping) return;
      const batch = await queryRows<DeliveryRow>(
        this.runtime.db,
        sql`update webhook_deliveries set processed_at = now()
            where id in (select id from webhook_deliveries
                         where status = 'accepted' and (processed_at is null or processed_at < now() - ${CLAIM_TIMEOUT}::interval)
                         order by received_at limit ${BATCH} for update skip locked)
            returning id, store_id, topic, payload, received_at`,
      );
      if (batch.length === 0) return;
      await this.process(batch);
    }
  }

  private async process(batch: DeliveryRow[]): Promise<void> {
    const pull = getPullService(this.runtime);
    const byStore = new Map<string, DeliveryRow[]>();
    for (const d of batch) (byStore.get(d.store_id) ?? byStore.set(d.store_id, []).get(d.store_id)!).push(d);
    for (const [storeId, deliveries] of byStore) {
      const products = new Map<string, string[]>();
      const collections = new Map<string, string[]>();
      const ignored: string[] = [];
      for (const d of deliveries) {
        const target = await this.targetOf(storeId, d);
        if (!target) ignored.push(d.id);
        else (target.kind === 'product' ? products : collections).set(target.id, [...((target.kind === 'product' ? products : collections).get(target.id) ?? []), d.id]);
      }
      if (ignored.length) await this.settle(ignored, 'processed', 'nothing known to re-read');
      if (products.size) {
        const ids = [...products.keys()];
        try {
          await pull.refreshProducts(storeId, ids, 'webhook');
          await this.settle(ids.flatMap((id) => products.get(id)!), 'processed');
          this.recordLatency(deliveries.filter((d) => ids.some((id) => products.get(id)!.includes(d.id))));
        } catch (err) {
          await this.fail(ids.flatMap((id) => products.get(id)!), err);
        }
      }
      for (const [id, deliveryIds] of collections) {
        try {
          await pull.refreshCollection(storeId, id, 'webhook');
          await this.settle(deliveryIds, 'processed');
        } catch (err) {
          await this.fail(deliveryIds, err);
        }
      }
    }
  }

  /** The payload is only a hint of what to re-read: the API is the truth. */
  private async targetOf(storeId: string, d: DeliveryRow): Promise<{ kind: 'product' | 'collection'; id: string } | null> {
    const p = d.payload ?? {};
    const gid = (type: string) => (typeof p.admin_graphql_api_id === 'string' ? p.admin_graphql_api_id : p.id != null ? `gid://shopify/${type}/${String(p.id)}` : null);
    if (d.topic.startsWith('products/')) {
      const id = gid('Product');
      return id ? { kind: 'product', id } : null;
    }
    if (d.topic.startsWith('collections/')) {
      const id = gid('Collection');
      return id ? { kind: 'collection', id } : null;
    }
    if (d.topic === 'inventory_levels/update' && p.inventory_item_id != null) {
      const item = String(p.inventory_item_id).startsWith('gid://') ? String(p.inventory_item_id) : `gid://shopify/InventoryItem/${String(p.inventory_item_id)}`;
      const [row] = await queryRows<{ product_key: string }>(
        this.runtime.db,
        sql`select product_key from catalog_entities where store_id = ${storeId} and entity = 'inventory_level' and key like ${`${item}|%`} limit 1`,
      );
      return row ? { kind: 'product', id: row.product_key } : null;
    }
    return null;
  }

  private async settle(ids: string[], status: 'processed' | 'failed', error: string | null = null): Promise<void> {
    if (ids.length === 0) return;
    await this.runtime.db.execute(
      sql`update webhook_deliveries set status = ${status}, error = ${error}, processed_at = now()
          where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`,
    );
  }

  private async fail(ids: string[], err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    this.runtime.logger.warn({ err, deliveries: ids.length }, 'webhook re-read failed');
    await this.settle(ids, 'failed', message);
  }

  private recordLatency(deliveries: DeliveryRow[]): void {
    const now = Date.now();
    for (const d of deliveries) {
      const seconds = (now - new Date(d.received_at).getTime()) / 1000;
      this.latencies.push(seconds);
      if (this.latencies.length > 1000) this.latencies.shift();
    }
  }
}

export function getWebhookWorker(runtime: Runtime): WebhookWorker {
  let worker = runtime.services.get('webhookWorker') as WebhookWorker | undefined;
  if (!worker) {
    worker = new WebhookWorker(runtime);
    runtime.services.set('webhookWorker', worker);
  }
  return worker;
}
