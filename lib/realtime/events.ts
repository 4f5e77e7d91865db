/**
 * The one realtime contract, used by the Socket.IO server and the browser alike.
 * Message shape (DESIGN.md): `{ type, data: { operation_id?, status?, progress?, message?, seq, timestamp } }`.
 */

export const SERVER_EVENTS = [
  'operation_start',
  'operation_progress',
  'operation_log',
  'operation_complete',
  'sync_status',
  'import_status',
  'error',
  'staged_changes_updated',
] as const;
export type ServerEventType = (typeof SERVER_EVENTS)[number];

export interface ProgressData {
  done: number;
  total: number | null;
  /** Items per second over the operation so far. */
  rate?: number | null;
  /** Seconds left at the current rate. */
  etaSeconds?: number | null;
  /** What is being worked on now (a product title, a batch...). */
  current?: string | null;
  /** How the work is done: a push's or rollback's path, `regular` or `bulk`. */
  path?: string | null;
}

export interface EventData {
  operation_id?: string;
  store_id?: string;
  kind?: string;
  status?: string;
  progress?: ProgressData;
  message?: string;
  level?: 'debug' | 'info' | 'warn' | 'error';
  counts?: Record<string, number>;
  /** Free-form extras per event type (changed ids, import row errors, batch id...). */
  [extra: string]: unknown;
  seq: number;
  timestamp: string;
}

export interface RealtimeMessage<T extends ServerEventType = ServerEventType> {
  type: T;
  data: EventData;
}

export type Ack<T> = (response: { data: T } | { error: { code: string; message: string } }) => void;

export interface SubscribeRequest {
  rooms: string[];
  /** The last seq this client saw; events after it in these rooms are replayed. */
  lastSeq?: number;
}

export interface SubscribeResult {
  rooms: string[];
  replayed: number;
  /** Highest seq known to the server when the subscription was made. */
  latestSeq: number;
  /** True when more events were missed than the server replays: reload lists instead. */
  truncated: boolean;
}

export type ServerToClientEvents = {
  [K in ServerEventType]: (message: RealtimeMessage<K>) => void;
};

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: Ack<SubscribeResult>) => void;
  unsubscribe: (request: { rooms: string[] }, ack: Ack<{ rooms: string[] }>) => void;
}

/** Handshake: `io(url, { auth: { token, lastSeq } })`. */
export interface HandshakeAuth {
  token?: string;
  lastSeq?: number;
}

export const ROOM_PATTERN = /^(operation|store):[0-9a-f-]{36}$|^global$/;

export const rooms = {
  operation: (id: string) => `operation:${id}`,
  store: (id: string) => `store:${id}`,
  global: 'global',
} as const;

/** At most this many progress messages per second per operation reach clients. */
export const PROGRESS_MESSAGES_PER_SECOND = 10;
/** A reconnecting client is sent at most this many missed events. */
export const REPLAY_LIMIT = 1000;
