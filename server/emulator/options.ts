import type { CatalogDepth } from './generator';
import { PLAN_LIMITS, type Plan } from './throttle';

export const EMULATOR_SHOP_DOMAIN = 'emulator-store.myshopify.com';
export const DEFAULT_API_VERSION = '2026-10';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  products?: number;
  seed?: number;
  /** Added to every generated id: a second store with the same catalog (same seed) under other ids. */
  idOffset?: number;
  /** The generated catalog's depth (generator.ts): `full` (default) with metafields and images, `basic` without. */
  depth?: CatalogDepth;
  plan?: Plan;
  /** The store the emulator stands for: webhooks are sent as this shop and `shop` answers it. */
  shopDomain?: string;
  accessToken?: string;
  merchantToken?: string;
  webhookSecret?: string;
  timeScale?: number;
  apiVersion?: string;
  /**
   * A file the catalog is kept in (persist.ts): loaded at start when it exists, instead of a
   * generated catalog; saved every few seconds when it changed, and on close.
   */
  stateFile?: string;
}

export interface EmulatorFaults {
  latencyMs: number;
  /** Share of GraphQL requests answered with a 5xx, 0..1. */
  errorRate: number;
  /** Share of GraphQL requests never answered (the socket is closed after timeoutMs), 0..1. */
  timeoutRate: number;
  timeoutMs: number;
  plan: Plan;
  duplicateWebhooks: boolean;
  /** Pause between the pages of a bulk query, so tests can catch operations while they run. */
  bulkPageDelayMs: number;
}

/** The options with their defaults filled in and checked. */
export type EmulatorSettings = Required<
  Omit<EmulatorOptions, 'port' | 'host' | 'plan' | 'products' | 'seed' | 'idOffset' | 'depth' | 'stateFile'>
>;

const DEFAULT_FAULTS: EmulatorFaults = {
  latencyMs: 0,
  errorRate: 0,
  timeoutRate: 0,
  timeoutMs: 30_000,
  plan: 'standard',
  duplicateWebhooks: false,
  bulkPageDelayMs: 0,
};

/** A store's permanent domain as Shopify names it: a handle of letters, digits and dashes under myshopify.com. */
const SHOP_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.myshopify\.com$/;

/** The shop domain, lower-cased as Shopify sends it; an error naming `name` when it is not a myshopify.com domain. */
export function checkShopDomain(value: string, name = 'shopDomain'): string {
  const domain = value.toLowerCase();
  if (!SHOP_DOMAIN.test(domain))
    throw new Error(
      `${name} must be a shop's myshopify.com domain such as my-store.myshopify.com, without scheme or path (got "${value}")`,
    );
  return domain;
}

export function settingsOf(options: EmulatorOptions): EmulatorSettings {
  return {
    shopDomain: checkShopDomain(options.shopDomain ?? EMULATOR_SHOP_DOMAIN),
    apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
    accessToken: options.accessToken ?? 'emulator-app-token',
    merchantToken: options.merchantToken ?? 'emulator-merchant-token',
    webhookSecret: options.webhookSecret ?? 'emulator-webhook-secret',
    timeScale: options.timeScale ?? 1,
  };
}

export function initialFaults(plan: Plan = 'standard'): EmulatorFaults {
  return { ...DEFAULT_FAULTS, plan };
}

/** Faults with the given knobs changed (undefined ones kept); an unknown plan is an error. */
export function mergeFaults(current: EmulatorFaults, next: Partial<EmulatorFaults>): EmulatorFaults {
  const merged = { ...current, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) } as EmulatorFaults;
  if (!(merged.plan in PLAN_LIMITS)) throw new Error(`Unknown plan ${merged.plan}`);
  return merged;
}
