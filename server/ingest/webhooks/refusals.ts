import type { RefusedShop } from '../../../lib/dashboard/health';
import type { Logger } from '../../logger';

const HOUR_MS = 60 * 60_000;
/** Shops tracked at once; past it the one refused least recently is forgotten (the header is the sender's to choose). */
const MAX_SHOPS = 20;
const MAX_LABEL = 100;

/**
 * Deliveries refused because no store has their shop domain (a store configured for another shop,
 * an emulator or app signing as a different shop), counted per shop over the last hour by this
 * process, for the health answer. The first refusal of a shop in the hour is logged.
 */
export class UnknownShopRefusals {
  /** shop -> refusal count per minute (epoch minute -> count) */
  private readonly byShop = new Map<string, Map<number, number>>();

  constructor(private readonly logger?: Logger) {}

  note(shop: string, now = Date.now()): void {
    const label = shop.slice(0, MAX_LABEL);
    const minute = Math.floor(now / 60_000);
    let minutes = this.byShop.get(label);
    if (!minutes || total(minutes, now) === 0) {
      this.logger?.warn({ shop: label }, 'webhook refused: no store has this shop domain (is SHOPIFY_SHOP the shop that sends?)');
    }
    if (minutes) this.byShop.delete(label);
    else minutes = new Map();
    // Re-inserted: the map's order is the order of last refusal, oldest first.
    this.byShop.set(label, minutes);
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    if (this.byShop.size > MAX_SHOPS) this.byShop.delete(this.byShop.keys().next().value!);
  }

  /** Shops refused in the last hour, most refused first. */
  lastHour(now = Date.now()): RefusedShop[] {
    const out: RefusedShop[] = [];
    for (const [shop, minutes] of this.byShop) {
      const count = total(minutes, now);
      if (count === 0) this.byShop.delete(shop);
      else out.push({ shop, count });
    }
    return out.sort((a, b) => b.count - a.count || a.shop.localeCompare(b.shop));
  }
}

/** Refusals within the hour before `now`; older minutes are dropped. */
function total(minutes: Map<number, number>, now: number): number {
  const oldest = Math.floor((now - HOUR_MS) / 60_000);
  let sum = 0;
  for (const [minute, count] of minutes) {
    if (minute <= oldest) minutes.delete(minute);
    else sum += count;
  }
  return sum;
}
