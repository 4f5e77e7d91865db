import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as metricsRoute from '../../app/metrics/route';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const TOKEN = 'metrics-token-for-tests-0123456789';
let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime({ env: { METRICS_TOKEN: TOKEN }, queue: true });
});
afterAll(() => t?.stop());

const scrape = (authorization?: string) =>
  metricsRoute.GET(new Request('http://localhost/metrics', { headers: authorization ? { authorization } : {} }));

describe('GET /metrics', () => {
  it('answers Prometheus text to a scraper with the token', async () => {
    const handle = await t.runtime.operations.start({ kind: 'pull', title: 'm', startedBy: 'test' });
    await handle.complete();
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/csd_operations_total\{kind="pull",status="completed",app="catalog-sync-desk"\} 1/);
    expect(text).toContain('# TYPE csd_staged_changes gauge');
    expect(text).toContain('# TYPE csd_queue_depth gauge');
    expect(text).toContain('csd_socket_clients');
  });

  it('refuses a missing or wrong token without telling the right one', async () => {
    for (const auth of [undefined, 'Bearer nope', `Bearer ${TOKEN}x`]) {
      const res = await scrape(auth);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(TOKEN);
    }
  });
});
