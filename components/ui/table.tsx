import clsx from 'clsx';
import type { ReactNode } from 'react';
import { Button } from './controls';

/** A column title: its text, or a label with the classes that size or hide the column. */
export type Column = string | { key: string; label: ReactNode; className?: string };

const LOOKS = {
  /** A page's main table (products, batches, a batch's items). */
  page: { head: 'bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500', cell: 'px-3 py-2' },
  /** A table of a panel's own, on white (a change's fields). */
  plain: { head: 'border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500', cell: 'py-2 pr-2' },
  /** A small table inside a panel (variants, related changes, an import's rows). */
  compact: { head: 'text-left text-slate-500', cell: 'px-2 py-1' },
} as const;

/** The cell padding of a look, for the body cells under a TableHead. */
export const CELL = { page: LOOKS.page.cell, plain: LOOKS.plain.cell, compact: LOOKS.compact.cell } as const;

/** A header row of `th scope="col"` cells. */
export function TableHead({
  columns,
  look = 'page',
  className,
}: {
  columns: readonly Column[];
  look?: keyof typeof LOOKS;
  className?: string;
}) {
  return (
    <thead className={clsx(LOOKS[look].head, className)}>
      <tr>
        {columns.map((column) => {
          const { key, label, className: columnClass } = typeof column === 'string' ? { key: column, label: column } : column;
          return (
            <th key={key} scope="col" className={clsx(LOOKS[look].cell, columnClass)}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/**
 * The white card a page's table scrolls in, sideways on a narrow screen. It takes the keyboard's
 * focus, so a table wider than the screen can be scrolled without a mouse even when it holds no link.
 */
export function TableCard({ children, label = 'Table' }: { children: ReactNode; label?: string }) {
  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-emerald-600"
    >
      {children}
    </section>
  );
}

/** A keyset-paged query, as far as its footer needs. */
type Pages = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };

/**
 * A page's table in its card: the caption (for screen readers; the card's label unless given),
 * the column heads, the rows, what follows them (a note when there are none), and Load more when paged.
 */
export function PageTable({
  label,
  caption = label,
  testId,
  columns,
  pages,
  after,
  children,
}: {
  label: string;
  caption?: ReactNode;
  testId: string;
  columns: readonly Column[];
  pages?: Pages;
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <TableCard label={label}>
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <TableHead columns={columns} />
        <tbody>{children}</tbody>
      </table>
      {after}
      {pages ? <LoadMore pages={pages} /> : null}
    </TableCard>
  );
}

/** The footer of a keyset-paged table: one more page on demand. */
export function LoadMore({ pages }: { pages: Pages }) {
  if (!pages.hasNextPage) return null;
  return (
    <div className="border-t border-slate-100 p-2 text-center">
      <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
        Load more
      </Button>
    </div>
  );
}
