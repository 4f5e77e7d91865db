import { failedFieldLabel } from '@/lib/sync/field-errors';
import { metafieldLabel } from '@/lib/sync/metafields';
import { formatValue } from '../ui/controls';
import { fieldLabel, hasDelta } from './field-label';
import { metafieldShort } from './metafield-value';

/** The parts of a change that name it and say what it changes. */
export interface ValuedChange {
  entity: string;
  kind: 'incoming' | 'outgoing' | 'conflict';
  op?: string;
  title?: string | null;
  entityKey?: string;
  variantTitle?: string | null;
  sku?: string | null;
  locationName?: string | null;
  /** Names of reference metafield targets by GID. */
  valueNames?: Readonly<Record<string, string>> | null;
  metafieldName?: string | null;
  fields: ReadonlyArray<{ name: string; local: unknown; remote: unknown; display?: Record<string, string | null> | null }>;
}

const HTML_FIELD = /html$/i;

/** A value short enough for a row: markup stripped, long text cut. */
export function shortValue(value: unknown, name = ''): string {
  let text = formatValue(value);
  if (HTML_FIELD.test(name))
    text =
      text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim() || '—';
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The delta of two numbers, absolute and in percent: "+2.50 (+25%)"; null when not both numbers. */
export function delta(from: unknown, to: unknown): string | null {
  if (from === null || to === null || from === undefined || to === undefined || from === '' || to === '') return null;
  const a = Number(from);
  const b = Number(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || typeof from === 'boolean' || typeof to === 'boolean') return null;
  const d = b - a;
  const decimals = [from, to].some((v) => String(v).includes('.')) ? 2 : 0;
  const abs = `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(decimals)}`;
  if (a === 0) return abs;
  const pct = (d / Math.abs(a)) * 100;
  const size = Math.abs(pct) < 10 ? Math.abs(pct).toFixed(1).replace(/\.0$/, '') : String(Math.round(Math.abs(pct)));
  return `${abs} (${pct >= 0 ? '+' : '−'}${size}%)`;
}

/**
 * One field's change as the row shows it, in the proposal's direction: for incoming the master's
 * value to Shopify's, for outgoing Shopify's to the master's; a conflict shows master and Shopify.
 */
export function fieldLine(change: ValuedChange, field: ValuedChange['fields'][number]) {
  const [from, to] = change.kind === 'outgoing' ? [field.remote, field.local] : [field.local, field.remote];
  if (change.entity === 'metafield') {
    const cut = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
    return {
      label: metafieldLabel(change.entityKey, change.metafieldName),
      from: cut(metafieldShort(from, change.valueNames)),
      to: cut(metafieldShort(to, change.valueNames)),
      delta: null,
      conflict: change.kind === 'conflict',
    };
  }
  const [fromSide, toSide] = change.kind === 'outgoing' ? ['remote', 'local'] : ['local', 'remote'];
  return {
    label: fieldLabel(change.entity, field.name),
    from: shortValue(field.display?.[fromSide] ?? from, field.name),
    to: shortValue(field.display?.[toSide] ?? to, field.name),
    delta: hasDelta(change.entity, field.name) ? delta(from, to) : null,
    conflict: change.kind === 'conflict',
  };
}

/** What the row is about besides its product: the variant (option values, SKU) or the location. */
export function subjectOf(change: ValuedChange): string {
  const variant = [change.variantTitle, change.sku ? `SKU ${change.sku}` : null].filter(Boolean).join(' · ');
  if (change.entity === 'inventory_level') return [change.locationName ?? 'a location', variant].filter(Boolean).join(' · ');
  if (change.entity === 'variant') return variant || 'a variant';
  if (change.entity === 'media') return 'an image';
  return '';
}

/** The badge of a whole-entity change: a create or a delete is not an edit of its fields. */
export function opBadge(change: Pick<ValuedChange, 'op' | 'kind' | 'entity'>): string | null {
  if (change.entity === 'membership')
    return change.op === 'create' ? 'joins collection' : change.op === 'delete' ? 'leaves collection' : null;
  if (change.op === 'create') return change.kind === 'incoming' ? 'new in Shopify' : 'new in master';
  if (change.op === 'delete') return change.kind === 'incoming' ? 'deleted in Shopify' : 'deleted in master';
  return null;
}

/**
 * Shopify's or the push's error as a merchandiser reads it: what happened, no ids, and which field
 * Shopify refused by its label ("Shopify refused the Handle: ...") so a retry is not blind.
 */
export function humanPushError(error: string | null | undefined, entity = 'product'): string {
  let text = (error ?? '')
    .replace(/^\w*\s*gid:\/\/shopify\/\w+\/\d+:\s*/, '')
    .replace(/gid:\/\/shopify\/\w+\/\d+/g, 'the item')
    .trim();
  if (!text) return 'The push did not say why.';
  if (/not found|does not exist|no longer exists/i.test(text)) return 'Shopify no longer has this item: it may have been deleted there.';
  if (/throttl|rate limit|too many requests/i.test(text)) return 'Shopify was too busy to take the change (rate limit).';
  if (/fetch failed|ECONN|ENOTFOUND|timed? ?out|network|unreachable|5\d\d/i.test(text)) return 'Shopify could not be reached.';
  const label = failedFieldLabel(entity, text);
  if (label && text.startsWith(`${label}:`)) text = text.slice(label.length + 1).trim();
  const refused = label ? `Shopify refused the ${label}` : 'Shopify refused it';
  if (/already been taken|already in use|must be unique/i.test(text)) return `${refused}: the value is already used by another item.`;
  return `${refused}: ${text}`;
}
