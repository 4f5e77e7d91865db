import { describe, expect, it } from 'vitest';
import { webhookCheckWords } from '../../lib/dashboard/webhook-words';

describe('the webhook check, in the one wording the health panel and the store card share', () => {
  it('says all registered when the check registered missing topics again, and fails only on an error', () => {
    const at = '2026-12-07T10:00:00.000Z';
    expect(webhookCheckWords(null)).toEqual({ ok: null, text: 'Not checked yet' });
    expect(webhookCheckWords({ checkedAt: at, missing: [], error: null })).toEqual({ ok: true, text: 'All registered at the last check' });
    const seven = ['products/create', 'products/update', 'products/delete', 'a', 'b', 'c', 'd'];
    expect(webhookCheckWords({ checkedAt: at, missing: seven, error: null })).toEqual({
      ok: true,
      text: 'All registered: the last check found 7 topics missing (products/create, products/update, products/delete and 4 more) and registered them again',
    });
    expect(webhookCheckWords({ checkedAt: at, missing: ['products/update'], error: null }).text).toBe(
      'All registered: the last check found 1 topic missing (products/update) and registered it again',
    );
    expect(webhookCheckWords({ checkedAt: at, missing: seven, error: 'HTTP 401' })).toEqual({
      ok: false,
      text: 'Could not be checked or registered again: HTTP 401',
    });
  });
});
