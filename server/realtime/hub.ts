import { sql } from 'drizzle-orm';
import type { Server as IoServer } from 'socket.io';
import { events } from '../../drizzle/schema';
import {
  type ClientToServerEvents,
  type EventData,
  PROGRESS_MESSAGES_PER_SECOND,
  REPLAY_LIMIT,
  type RealtimeMessage,
  type ServerEventType,
  type ServerToClientEvents,
} from '../../lib/realtime/events';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import type { Logger } from '../logger';

export type Io = IoServer<ClientToServerEvents, ServerToClientEvents>;
export type EventPayload = Omit<EventData, 'seq' | 'timestamp'>;

interface PendingCoalesced {
  type: ServerEventType;
  rooms: string[];
  data: EventPayload;
  timer: NodeJS.Timeout;
}

const COALESCE_INTERVAL_MS = Math.ceil(1000 / PROGRESS_MESSAGES_PER_SECOND);

/**
 * Every realtime event passes through here: persisted with a sequence number (so a reconnecting
 * client can be sent what it missed), then emitted to its rooms. Events that share a coalescing key
 * (an operation's progress) reach clients at most ~10 times a second, the latest value winning.
 */
export class RealtimeHub {
  private io?: Io;
  private readonly pending = new Map<string, PendingCoalesced>();
  private readonly lastSentAt = new Map<string, number>();
  /** Per-key chains keep one operation's events in order while the DB insert is in flight. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  attach(io: Io): void {
    this.io = io;
  }

  get server(): Io | undefined {
    return this.io;
  }

  /** Persists and emits one event. Ordered per `orderKey` (defaults to the first room). */
  publish(type: ServerEventType, rooms: string[], data: EventPayload, orderKey = rooms[0] ?? 'global'): Promise<RealtimeMessage> {
    const previous = this.chains.get(orderKey) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.persistAndEmit(type, rooms, data));
    this.chains.set(orderKey, next);
    void next
      .finally(() => {
        if (this.chains.get(orderKey) === next) this.chains.delete(orderKey);
      })
      .catch(() => {});
    return next;
  }

  /**
   * Latest-value-wins publishing for high-rate updates. The first call in a quiet period goes out
   * at once; later ones within the interval are folded into one message sent at its end.
   */
  coalesce(key: string, type: ServerEventType, rooms: string[], data: EventPayload, intervalMs = COALESCE_INTERVAL_MS): void {
    if (this.closed) return;
    const now = Date.now();
    const last = this.lastSentAt.get(key) ?? 0;
    const existing = this.pending.get(key);
    if (existing) {
      existing.data = data;
      existing.rooms = rooms;
      return;
    }
    const wait = last + intervalMs - now;
    if (wait <= 0) {
      this.lastSentAt.set(key, now);
      void this.publish(type, rooms, data, key).catch((err) => this.logger.warn({ err, key }, 'realtime publish failed'));
      return;
    }
    const timer = setTimeout(() => void this.flush(key), wait);
    timer.unref?.();
    this.pending.set(key, { type, rooms, data, timer });
  }

  /** Sends a coalesced event that is still waiting, so a final event never overtakes it. */
  async flush(key: string): Promise<void> {
    const entry = this.pending.get(key);
    if (!entry) {
      await this.chains.get(key)?.catch(() => {});
      return;
    }
    clearTimeout(entry.timer);
    this.pending.delete(key);
    this.lastSentAt.set(key, Date.now());
    await this.publish(entry.type, entry.rooms, entry.data, key).catch((err) => this.logger.warn({ err, key }, 'realtime publish failed'));
  }

  /** Forgets a finished key's rate-limit state. */
  forget(key: string): void {
    this.lastSentAt.delete(key);
  }

  async latestSeq(): Promise<number> {
    const [row] = await queryRows<{ seq: string | number | null }>(this.db, sql`select max(seq) as seq from ${events}`);
    return Number(row?.seq ?? 0);
  }

  /** Events after `afterSeq` sent to any of `rooms`, oldest first, at most `limit`. */
  async replay(rooms: string[], afterSeq: number, limit = REPLAY_LIMIT): Promise<{ messages: RealtimeMessage[]; truncated: boolean }> {
    if (rooms.length === 0) return { messages: [], truncated: false };
    const rows = await queryRows<{ seq: string | number; type: ServerEventType; data: EventPayload; created_at: Date | string }>(
      this.db,
      sql`select seq, type, data, created_at from ${events}
          where seq > ${afterSeq} and rooms && ${sql.param(rooms)}::text[]
          order by seq asc limit ${limit + 1}`,
    );
    const truncated = rows.length > limit;
    const messages = rows.slice(0, limit).map((r) => toMessage(r.type, r.data, Number(r.seq), new Date(r.created_at)));
    return { messages, truncated };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pending.keys()].map((k) => this.flush(k)));
    await Promise.all([...this.chains.values()].map((p) => p.catch(() => {})));
  }

  private async persistAndEmit(type: ServerEventType, rooms: string[], data: EventPayload): Promise<RealtimeMessage> {
    const operationId = typeof data.operation_id === 'string' ? data.operation_id : null;
    const [row] = await this.db
      .insert(events)
      .values({ rooms, type, operationId, data: data as Record<string, unknown> })
      .returning({ seq: events.seq, createdAt: events.createdAt });
    const message = toMessage(type, data, row!.seq, row!.createdAt);
    this.io?.to(rooms).emit(type, message as never);
    return message;
  }
}

function toMessage(type: ServerEventType, data: EventPayload, seq: number, at: Date): RealtimeMessage {
  return { type, data: { ...data, seq, timestamp: at.toISOString() } };
}
