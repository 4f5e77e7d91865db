import type { BulkOperationRecord } from '../bulk/runner';
import { RecordView, readsRecord } from './record';

export class BulkOperationView extends RecordView<BulkOperationRecord> {
  readonly __typename = 'BulkOperation';
  get objectCount() {
    return String(this.record.objectCount);
  }
  get rootObjectCount() {
    return String(this.record.rootObjectCount);
  }
  get fileSize() {
    return this.record.fileSize === null ? null : String(this.record.fileSize);
  }
  get partialDataUrl() {
    return null;
  }
}

readsRecord(BulkOperationView, ['status', 'type', 'query', 'createdAt', 'completedAt', 'url', 'errorCode']);
