import { plural } from '../words';

/** A store's webhook subscriptions as the last periodic check left them (stores.webhook_check; null: never checked). */
export interface WebhookCheckView {
  checkedAt: string | null;
  missing: readonly string[];
  error: string | null;
}

/**
 * The one wording of a store's webhook check, read by the health indicator and the settings store
 * card alike so the two cannot disagree: `ok` null before any check, false when the check (or the
 * re-registration it makes) failed; topics found missing and registered again are all registered.
 */
export function webhookCheckWords(check: WebhookCheckView | null | undefined): { ok: boolean | null; text: string } {
  if (!check?.checkedAt) return { ok: null, text: 'Not checked yet' };
  if (check.error) return { ok: false, text: `Could not be checked or registered again: ${check.error}` };
  if (check.missing.length) {
    const named = check.missing.slice(0, 3).join(', ');
    const more = check.missing.length > 3 ? ` and ${check.missing.length - 3} more` : '';
    const them = check.missing.length === 1 ? 'it' : 'them';
    return {
      ok: true,
      text:
        `All registered: the last check found ${plural(check.missing.length, 'topic')} missing ` +
        `(${named}${more}) and registered ${them} again`,
    };
  }
  return { ok: true, text: 'All registered at the last check' };
}
