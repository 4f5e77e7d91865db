import type { Operation } from '../../drizzle/schema';
import { type ProgressData, rooms } from '../../lib/realtime/events';
import type { Logger } from '../logger';
import type { RealtimeHub } from '../realtime/hub';
import type { FinalOperationStatus, OperationOutcome } from './rows';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What an operation tells the rooms watching it (its own and its store's): start, progress
 * (coalesced by the hub to a few messages a second), log lines and the end. A final message
 * first flushes a progress message still waiting, so it never overtakes it.
 */
export class OperationEvents {
  constructor(
    private readonly hub: RealtimeHub,
    private readonly logger: Logger,
  ) {}

  roomsOf(op: Pick<Operation, 'id' | 'storeId'>): string[] {
    return op.storeId ? [rooms.operation(op.id), rooms.store(op.storeId)] : [rooms.operation(op.id), rooms.global];
  }

  async started(op: Operation): Promise<void> {
    await this.hub.publish(
      'operation_start',
      this.roomsOf(op),
      {
        ...this.base(op),
        status: op.status,
        message: `Started: ${op.title}`,
        progress: { done: op.progressDone, total: op.progressTotal },
        started_by: op.startedBy,
      },
      op.id,
    );
  }

  progress(op: Operation, progress: ProgressData, counts: Record<string, number>): void {
    this.hub.coalesce(op.id, 'operation_progress', this.roomsOf(op), { ...this.base(op), status: 'running', progress, counts });
  }

  async log(op: Operation, message: string, level: LogLevel, extra: Record<string, unknown> = {}): Promise<void> {
    await this.hub.flush(op.id);
    await this.hub
      .publish('operation_log', this.roomsOf(op), { ...this.base(op), message, level, ...extra }, op.id)
      .catch((err) => this.logger.warn({ err, operationId: op.id }, 'operation log not published'));
  }

  async finished(op: Operation, status: FinalOperationStatus, outcome: OperationOutcome, message?: string): Promise<void> {
    await this.hub.flush(op.id);
    const roomList = this.roomsOf(op);
    const base = { ...this.base(op), counts: outcome.counts };
    if (status === 'failed') {
      await this.hub.publish('error', roomList, { ...base, status, message: outcome.error ?? 'Operation failed' }, op.id);
    }
    await this.hub.publish(
      'operation_complete',
      roomList,
      { ...base, status, progress: { done: outcome.done, total: outcome.total }, message: message ?? defaultMessage(status) },
      op.id,
    );
    this.hub.forget(op.id);
  }

  private base(op: Operation) {
    return { operation_id: op.id, store_id: op.storeId ?? undefined, kind: op.kind };
  }
}

function defaultMessage(status: FinalOperationStatus): string {
  return status === 'completed' ? 'Completed' : status === 'cancelled' ? 'Cancelled' : 'Failed';
}
