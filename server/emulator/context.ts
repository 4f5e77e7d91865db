import type { EmulatorCore } from './core';
import type { ShopState } from './state';

/** What every resolver sees: the shop, who is calling, and whether this runs inside a bulk query. */
export interface EmulatorContext {
  state: ShopState;
  core: EmulatorCore;
  shop: { domain: string; plan: string; apiVersion: string; baseUrl: string };
  token: string;
  actor: 'app' | 'merchant' | 'bulk';
  /** Inside a bulk query: nested connections are unbounded and the root connection reads a window. */
  bulk?: { start: number; size: number; rootCount?: number };
}

/** A field's arguments as graphql-js hands them to a resolver. */
export type Args = Record<string, unknown>;
