import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { EmulatorContext } from './context';

const MAX_PAGE = 250;

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export type SortValue = string | number;

/** A cursor holds the sort value and id of its item, so a page boundary survives edits that move items. */
function encodeCursor(key: SortValue, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function decodeCursor(cursor: string): [SortValue, number] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'number') return value as [SortValue, number];
  } catch {
    // falls through to the error below
  }
  throw new GraphQLError('Invalid cursor for current pagination sort.', { extensions: { code: 'BAD_REQUEST' } });
}

function compareKey(a: [SortValue, number], b: [SortValue, number]): number {
  if (a[0] < b[0]) return -1;
  if (a[0] > b[0]) return 1;
  return a[1] - b[1];
}

/**
 * Cursor pagination over an already filtered and sorted list, as Shopify's connections do:
 * `first`/`last` required (except in bulk), at most 250, cursors opaque.
 */
export function connection<T extends { id: number }, V>(
  items: readonly T[],
  args: PageArgs,
  ctx: EmulatorContext,
  info: GraphQLResolveInfo,
  toView: (item: T) => V,
  sortValue: (item: T) => SortValue = (item) => item.id,
) {
  const direction = args.reverse ? -1 : 1;
  let list = args.reverse ? [...items].reverse() : items;
  const isBulkRoot = ctx.bulk && info.path.prev === undefined;
  if (ctx.bulk) {
    if (isBulkRoot) {
      ctx.bulk.rootCount = list.length;
      list = list.slice(ctx.bulk.start, ctx.bulk.start + ctx.bulk.size);
    }
  } else {
    const size = args.first ?? args.last;
    if (size === undefined || size === null) {
      throw new GraphQLError(`${info.fieldName}: you must provide one of first or last`, { extensions: { code: 'BAD_REQUEST' } });
    }
    if (size > MAX_PAGE || size < 0) {
      throw new GraphQLError(
        `The requested page size of ${size} is not valid: ${info.fieldName} accepts first or last between 0 and ${MAX_PAGE}.`,
        {
          extensions: { code: 'MAX_PAGE_SIZE_EXCEEDED', max: MAX_PAGE },
        },
      );
    }
  }
  let start = 0;
  let end = list.length;
  const keyOf = (item: T): [SortValue, number] => [sortValue(item), item.id];
  if (args.after) {
    const after = decodeCursor(args.after);
    const index = list.findIndex((i) => compareKey(keyOf(i), after) * direction > 0);
    start = index < 0 ? list.length : index;
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    const index = list.findIndex((i) => compareKey(keyOf(i), before) * direction >= 0);
    end = index < 0 ? list.length : index;
  }
  let from = start;
  let to = end;
  if (!ctx.bulk) {
    if (args.first != null) to = Math.min(end, start + args.first);
    else if (args.last != null) from = Math.max(start, end - args.last);
  }
  const page = list.slice(from, to);
  let views: V[] | undefined;
  const nodes = () => (views ??= page.map(toView));
  // Cursors are resolvers, encoded only when selected: a bulk export selects none of them, and
  // encoding one per edge and two per connection cost a tenth of a large export's time.
  const cursorAt = (i: number) => () => encodeCursor(sortValue(page[i]!), page[i]!.id);
  const noCursor = () => null;
  return {
    nodes,
    edges: () => nodes().map((node, i) => ({ cursor: cursorAt(i), node })),
    pageInfo: {
      hasNextPage: to < end,
      hasPreviousPage: from > start || start > 0,
      startCursor: page.length ? cursorAt(0) : noCursor,
      endCursor: page.length ? cursorAt(page.length - 1) : noCursor,
    },
  };
}
