import { BulkRunner } from './bulk/runner';
import type { AdminGraphQL } from './graphql';
import type { EmulatorFaults, EmulatorSettings } from './options';
import type { ShopState } from './state';
import { WebhookDispatcher } from './webhooks';

export interface MutationLogEntry {
  seq: number;
  at: string;
  mutation: string;
  actor: 'app' | 'merchant' | 'bulk' | 'activity';
  token: string | null;
  idempotencyKey: string | null;
  target: string[];
  input: unknown;
}

/** The parts of a running emulator that resolvers reach through their context. */
export interface EmulatorCore {
  state: ShopState;
  webhooks: WebhookDispatcher;
  bulk: BulkRunner;
  uploads: Map<string, Buffer>;
  mutationLog: MutationLogEntry[];
  idempotency: Map<string, { fingerprint: string; result: unknown }>;
  log(entry: Omit<MutationLogEntry, 'seq' | 'at'>): void;
  /** Forgets everything but the catalog: bulk operations, uploads, webhook deliveries, idempotency keys, the log. */
  clear(): void;
}

export interface CoreDeps {
  state: ShopState;
  graphql: AdminGraphQL;
  settings: EmulatorSettings;
  faults(): EmulatorFaults;
  baseUrl(): string;
}

export function createCore({ state, graphql, settings, faults, baseUrl }: CoreDeps): EmulatorCore {
  const mutationLog: MutationLogEntry[] = [];
  return {
    state,
    webhooks: new WebhookDispatcher({
      state,
      shopDomain: settings.shopDomain,
      apiVersion: settings.apiVersion,
      secret: () => settings.webhookSecret,
      timeScale: () => settings.timeScale,
      duplicates: () => faults().duplicateWebhooks,
    }),
    bulk: new BulkRunner({
      schema: graphql.schema,
      run: (doc, vars, ctx) => graphql.run(doc, vars, ctx),
      compile: (doc) => graphql.compileBulk(doc),
      baseUrl,
      pageDelayMs: () => faults().bulkPageDelayMs,
    }),
    uploads: new Map(),
    mutationLog,
    idempotency: new Map(),
    log(entry) {
      mutationLog.push({ seq: mutationLog.length + 1, at: new Date().toISOString(), ...entry });
    },
    clear() {
      this.bulk.reset();
      this.uploads.clear();
      this.webhooks.clear();
      this.idempotency.clear();
      mutationLog.length = 0;
    },
  };
}
