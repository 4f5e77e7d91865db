import type { BulkRunner } from './bulk';
import type { ShopState } from './state';
import type { WebhookDispatcher } from './webhooks';

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
}
