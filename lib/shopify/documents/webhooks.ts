import { pageOf, USER_ERROR_FIELDS } from './fragments';

const SUBSCRIPTION_FIELDS = /* GraphQL */ `
  id
  topic
  uri
  format
  filter
  includeFields
  createdAt
`;

export const listWebhookSubscriptionsQuery = /* GraphQL */ `
  query listWebhookSubscriptions($first: Int!, $after: String) {
    webhookSubscriptions(first: $first, after: $after) {
      ${pageOf(`
        ${SUBSCRIPTION_FIELDS}
      `)}
    }
  }
`;

export const webhookSubscriptionCreateMutation = /* GraphQL */ `
  mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
      webhookSubscription {
        ${SUBSCRIPTION_FIELDS}
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;
