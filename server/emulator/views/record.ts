import type { EmulatorContext } from '../context';
import { gid } from '../state';

/**
 * `gid://shopify/<Type>/` per view type, built once: a prefix concatenated from the type on every
 * call costs a bulk export of 200,000 objects about 5%.
 */
const gidPrefixes = new Map<string, string>();

function gidPrefix(type: string): string {
  let prefix = gidPrefixes.get(type);
  if (prefix === undefined) {
    prefix = gid(type, '');
    gidPrefixes.set(type, prefix);
  }
  return prefix;
}

/**
 * A view of one stored record: its GraphQL type names its gid, and every field reads a property of
 * the same name (graphql.ts), so a resource's view is the list of fields it emulates.
 */
export abstract class RecordView<R extends { id: number }> {
  abstract readonly __typename: string;
  constructor(
    protected readonly record: R,
    protected readonly ctx: EmulatorContext,
  ) {}
  get id() {
    return gidPrefix(this.__typename) + this.record.id;
  }
  get legacyResourceId() {
    return String(this.record.id);
  }
}

/** Declares the fields a view answers with its record's property of the same name, as getters on the view's prototype. */
export function readsRecord<R extends { id: number }>(
  view: abstract new (record: R, ctx: EmulatorContext) => RecordView<R>,
  names: ReadonlyArray<keyof R & string>,
): void {
  for (const name of names)
    Object.defineProperty(view.prototype, name, {
      get(this: { record: R }) {
        return this.record[name];
      },
      configurable: true,
    });
}
