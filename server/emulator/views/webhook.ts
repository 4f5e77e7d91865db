import type { WebhookSubscriptionRecord } from '../state';
import { RecordView, readsRecord } from './record';

export class WebhookSubscriptionView extends RecordView<WebhookSubscriptionRecord> {
  readonly __typename = 'WebhookSubscription';
  get callbackUrl() {
    return this.record.uri;
  }
  get metafieldNamespaces() {
    return [];
  }
  get name() {
    return null;
  }
  get apiVersion() {
    const handle = this.ctx.shop.apiVersion;
    return { __typename: 'ApiVersion', handle, displayName: handle, supported: true };
  }
  get endpoint() {
    return { __typename: 'WebhookHttpEndpoint', callbackUrl: this.record.uri };
  }
}

readsRecord(WebhookSubscriptionView, ['topic', 'uri', 'format', 'includeFields', 'filter', 'createdAt', 'updatedAt']);
