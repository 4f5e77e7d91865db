import { sql } from 'drizzle-orm';
import { AppError } from '../../../lib/errors';
import { DELIVERY_STATUS } from '../../db/literals';
import { queryRows } from '../../db/rows';
import type { Runtime } from '../../runtime';
import type { PullService } from '../pull/service';
import { coalesceWaiting } from './coalesce';

/**
 * Works off accepted webhook deliveries. The webhook_deliveries table is the queue: a delivery is
 * claimed by stamping processed_at (a claim older than CLAIM_TIMEOUT is taken over, so a crash
 * loses nothing), and settled as processed or failed. Deliveries of one batch that name the same
 * product are served by one re-read, and the products of a batch are re-read together; a delivery
 * fails alone, with its reason. Started on receipt (kick) and swept periodically.
 */
const CLAIM_TIMEOUT = '2 minutes';
const BATCH = 250;

export interface DeliveryRow extends Record<string, unknown> {
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

  constructor(
    private readonly runtime: Runtime,
    private readonly pull: PullService,
  ) {}

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
                         where status = ${DELIVERY_STATUS.accepted}
                           and (processed_at is null or processed_at < now() - ${CLAIM_TIMEOUT}::interval)
                         order by received_at limit ${BATCH} for update skip locked)
            returning id, store_id, topic, payload, received_at`,
      );
      if (batch.length === 0) return;
      await this.process(batch);
    }
  }

  private async process(batch: DeliveryRow[]): Promise<void> {
    const byStore = new Map<string, DeliveryRow[]>();
    for (const d of batch) (byStore.get(d.store_id) ?? byStore.set(d.store_id, []).get(d.store_id)!).push(d);
    for (const [storeId, deliveries] of byStore) {
      const products = new Map<string, DeliveryRow[]>();
      const collections = new Map<string, DeliveryRow[]>();
      const ignored: string[] = [];
      for (const d of deliveries) {
        let target: Awaited<ReturnType<WebhookWorker['targetOf']>>;
        try {
          target = await this.targetOf(storeId, d);
        } catch (err) {
          await this.fail([d], err);
          continue;
        }
        if (!target) ignored.push(d.id);
        else {
          const named = target.kind === 'product' ? products : collections;
          named.set(target.id, [...(named.get(target.id) ?? []), d]);
        }
      }
      if (ignored.length) await this.settle(ignored, 'processed', 'nothing known to re-read');
      await coalesceWaiting(this.runtime.db, storeId, { product: products, collection: collections });
      if (products.size) await this.refreshProducts(storeId, products);
      for (const [id, named] of collections) {
        try {
          await this.pull.refreshCollection(storeId, id, 'webhook');
          await this.processed(named);
        } catch (err) {
          await this.fail(named, err);
        }
      }
    }
  }

  /**
   * The products named by a store's deliveries, re-read together; if that fails, each alone, so
   * that a delivery fails by itself (with its reason) and never takes the others with it.
   */
  private async refreshProducts(storeId: string, products: Map<string, DeliveryRow[]>): Promise<void> {
    const ids = [...products.keys()];
    try {
      await this.pull.refreshProducts(storeId, ids, 'webhook');
      await this.processed([...products.values()].flat());
      return;
    } catch (err) {
      if (ids.length === 1) return this.fail(products.get(ids[0]!)!, err);
    }
    for (const [id, named] of products) {
      try {
        await this.pull.refreshProducts(storeId, [id], 'webhook');
        await this.processed(named);
      } catch (err) {
        await this.fail(named, err);
      }
    }
  }

  /**
   * The payload is only a hint of what to re-read: the API is the truth. An id that is no Shopify
   * id at all fails its delivery here, before it could spoil a re-read shared with others.
   */
  private async targetOf(storeId: string, d: DeliveryRow): Promise<{ kind: 'product' | 'collection'; id: string } | null> {
    const p = d.payload ?? {};
    const gid = (type: string) => {
      const id =
        typeof p.admin_graphql_api_id === 'string' ? p.admin_graphql_api_id : p.id != null ? `gid://shopify/${type}/${String(p.id)}` : null;
      if (id !== null && !new RegExp(`^gid://shopify/${type}/\\d+$`).test(id)) {
        throw new AppError('bad_request:invalid_id', `The delivery names ${JSON.stringify(id).slice(0, 200)}, which is not a ${type} id`);
      }
      return id;
    };
    if (d.topic.startsWith('products/')) {
      const id = gid('Product');
      return id ? { kind: 'product', id } : null;
    }
    if (d.topic.startsWith('collections/')) {
      const id = gid('Collection');
      return id ? { kind: 'collection', id } : null;
    }
    if (d.topic === 'inventory_levels/update' && p.inventory_item_id != null) {
      const item = String(p.inventory_item_id).startsWith('gid://')
        ? String(p.inventory_item_id)
        : `gid://shopify/InventoryItem/${String(p.inventory_item_id)}`;
      const [row] = await queryRows<{ product_key: string }>(
        this.runtime.db,
        sql`select product_key from catalog_entities
            where store_id = ${storeId} and entity = 'inventory_level' and key like ${`${item}|%`} limit 1`,
      );
      return row ? { kind: 'product', id: row.product_key } : null;
    }
    return null;
  }

  private async settle(ids: string[], status: 'processed' | 'failed', error: string | null = null): Promise<void> {
    if (ids.length === 0) return;
    await this.runtime.db.execute(
      sql`update webhook_deliveries set status = ${status}, error = ${error}, processed_at = now()
          where id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
    );
  }

  private async processed(deliveries: DeliveryRow[]): Promise<void> {
    await this.settle(
      deliveries.map((d) => d.id),
      'processed',
    );
    this.recordLatency(deliveries);
  }

  private async fail(deliveries: DeliveryRow[], err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    this.runtime.logger.warn({ err, deliveries: deliveries.length }, 'webhook re-read failed');
    await this.settle(
      deliveries.map((d) => d.id),
      'failed',
      message,
    );
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
