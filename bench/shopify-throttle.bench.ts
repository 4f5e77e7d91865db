/**
 * 200 concurrent product queries on the standard plan (100 points/s, bucket 2000), sent twice:
 * raw through @shopify/admin-api-client (counts THROTTLED answers), then through lib/shopify
 * (must see none, and use the restore rate fully once the bucket is empty).
 * Run: npx tsx bench/shopify-throttle.bench.ts
 */
import { createAdminApiClient } from '@shopify/admin-api-client';
import { createShopifyClient } from '../lib/shopify';
import { startEmulator } from '../server/emulator';
import { writeReport } from './report';

const CONCURRENCY = 200;
const QUERY = /* GraphQL */ `
  query benchProducts($first: Int!) {
    products(first: $first, sortKey: ID) {
      edges {
        node {
          id
          title
          variants(first: 3) {
            edges {
              node {
                id
                price
              }
            }
          }
        }
      }
    }
  }
`;
const VARIABLES = { first: 5 };

async function main() {
  const emulator = await startEmulator({ port: 0, products: 200, seed: 1, plan: 'standard' });
  try {
    const raw = createAdminApiClient({
      storeDomain: emulator.shopDomain,
      apiVersion: '2026-10',
      accessToken: emulator.accessToken,
      customFetchApi: (_url, init) => fetch(emulator.adminUrl, init),
    });
    const rawAnswers = await Promise.all(Array.from({ length: CONCURRENCY }, () => raw.request(QUERY, { variables: VARIABLES })));
    const rawThrottled = rawAnswers.filter((a) => a.errors?.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED')).length;

    await emulator.reset();
    const client = createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl });
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: CONCURRENCY }, () => client.request(QUERY, VARIABLES)));
    const elapsed = (Date.now() - started) / 1000;
    const failed = results.filter((r) => r.status === 'rejected');
    const surfacedThrottled = failed.filter((r) => /throttled/i.test(String((r as PromiseRejectedResult).reason))).length;
    const stats = client.bucket.stats();
    // Everything beyond the bucket that was full at the start had to come from the restore rate.
    const beyondBucket = (stats.pointsUsed - stats.maximumAvailable) / elapsed;
    const sustained = stats.sustainedPointsPerSecond ?? 0;

    writeReport('shopify-throttle', [
      {
        name: 'raw admin-api-client: THROTTLED answers',
        value: rawThrottled,
        unit: `of ${CONCURRENCY}`,
        note: 'expected > 0: what happens without the bucket',
      },
      {
        name: 'lib/shopify: THROTTLED surfaced to callers',
        value: surfacedThrottled,
        unit: `of ${CONCURRENCY}`,
        target: 0,
        better: 'lower',
      },
      { name: 'lib/shopify: failed requests', value: failed.length, unit: `of ${CONCURRENCY}`, target: 0, better: 'lower' },
      {
        name: 'lib/shopify: THROTTLED answers absorbed',
        value: stats.throttledCount,
        unit: 'answers',
        note: 'waited out inside the client',
      },
      { name: 'restore rate (standard plan)', value: stats.restoreRate, unit: 'points/s' },
      {
        name: 'achieved points/s once the bucket was empty',
        value: sustained,
        unit: 'points/s',
        target: Math.round(stats.restoreRate * 0.9),
        better: 'higher',
        note: `${((sustained / stats.restoreRate) * 100).toFixed(1)}% of the restore rate (within 10% needed); ${stats.pointsUsed} points in ${elapsed.toFixed(1)} s overall`,
      },
      {
        name: 'points beyond the initial full bucket per second, over the whole run',
        value: beyondBucket,
        unit: 'points/s',
        note: `${((beyondBucket / stats.restoreRate) * 100).toFixed(1)}% of the restore rate; (${stats.pointsUsed} - ${stats.maximumAvailable}) points / ${elapsed.toFixed(1)} s`,
      },
      {
        name: 'achieved points/s does not exceed the restore rate by more than 10%',
        value: sustained,
        unit: 'points/s',
        target: Math.round(stats.restoreRate * 1.1),
        better: 'lower',
      },
    ]);
  } finally {
    await emulator.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
