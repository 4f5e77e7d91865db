import { isListType, listChange, type MetafieldValue, metafieldText } from '@/lib/sync/metafields';

const asMetafield = (value: unknown) => (value && typeof value === 'object' && 'type' in value ? (value as MetafieldValue) : null);

/** List items keyed by value and occurrence (a list may hold the same item twice). */
function keyed(items: readonly unknown[]): Array<{ key: string; item: unknown }> {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const text = JSON.stringify(item);
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    return { key: `${text}#${n}`, item };
  });
}

/** Names of reference targets by GID, as the API gives them beside a change (`valueNames`). */
type Names = Readonly<Record<string, string>> | null | undefined;
const nameMap = (names: Names) => new Map(Object.entries(names ?? {}));

/** A metafield value as one short line (rows of the review list): list items joined, JSON compact, references by name. */
export function metafieldShort(value: unknown, names?: Names): string {
  const mf = asMetafield(value);
  if (!mf) return '—';
  return metafieldText(mf, nameMap(names)).replace(/\s*\n\s*/g, isListType(mf.type) ? ', ' : ' ');
}

/**
 * A metafield's value shown by its type: text with its lines, JSON pretty, booleans Yes/No, and a
 * list item by item, the items this side has and the other lacks marked added (+), the other's
 * items this side lacks struck through (−); a reference by its target's name.
 */
export function MetafieldValueView({ value, other, names }: { value: unknown; other: unknown; names?: Names }) {
  const mf = asMetafield(value);
  const map = nameMap(names);
  if (!mf) return <span className="text-slate-400">no value</span>;
  const type = <span className="ml-1 text-xs text-slate-400">{mf.type}</span>;
  if (isListType(mf.type) && Array.isArray(mf.value)) {
    const otherValue = asMetafield(other)?.value;
    const { added, removed } = listChange(otherValue, mf.value);
    const isAdded = (item: unknown) => added.some((a) => JSON.stringify(a) === JSON.stringify(item));
    return (
      <div>
        <ul className="list-none">
          {keyed(mf.value).map(({ key, item }) => (
            <li key={key} className={isAdded(item) && otherValue !== undefined ? 'font-medium text-emerald-800' : undefined}>
              {isAdded(item) && otherValue !== undefined ? '+ ' : ''}
              {metafieldText({ type: mf.type.slice(5), value: item }, map)}
            </li>
          ))}
          {keyed(removed).map(({ key, item }) => (
            <li key={`removed-${key}`} className="text-rose-700 line-through">
              − {metafieldText({ type: mf.type.slice(5), value: item }, map)}
            </li>
          ))}
        </ul>
        {type}
      </div>
    );
  }
  return (
    <span className="whitespace-pre-wrap">
      {metafieldText(mf, map)}
      {type}
    </span>
  );
}
