import type { ReactNode } from 'react';

const LOOKS = {
  /** A part of a page on the page's background (a product's variants, its history). */
  plain: 'space-y-2',
  /** A white card of its own (the settings). */
  card: 'space-y-3 rounded-lg border border-slate-200 bg-white p-4',
} as const;

/**
 * A part of a page under its own heading, which names the section (aria-labelledby). A description
 * says what the section is for, with a note under it (why its controls are read-only).
 */
export function Section({
  headingId,
  title,
  description,
  note,
  look = 'plain',
  testId,
  children,
}: {
  headingId: string;
  title: string;
  description?: ReactNode;
  note?: ReactNode;
  look?: keyof typeof LOOKS;
  testId?: string;
  children: ReactNode;
}) {
  const heading = (
    <h2 id={headingId} className="text-base font-semibold text-slate-900">
      {title}
    </h2>
  );
  return (
    <section aria-labelledby={headingId} className={LOOKS[look]} data-testid={testId}>
      {description === undefined ? (
        heading
      ) : (
        <div>
          {heading}
          <p className="text-sm text-slate-600">{description}</p>
          {note ? <p className="mt-1 text-xs text-slate-600">{note}</p> : null}
        </div>
      )}
      {children}
    </section>
  );
}
