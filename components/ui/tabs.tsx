import clsx from 'clsx';
import type { ButtonHTMLAttributes, ReactNode } from 'react';

/** A row of tabs choosing what the content below shows (the kinds of change, the catalog's views). */
export function TabList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="tablist" aria-label={label} className="flex flex-wrap gap-1">
      {children}
    </div>
  );
}

export function Tab({ selected, className, ...props }: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'role'> & { selected: boolean }) {
  return (
    <button
      type="button"
      {...props}
      role="tab"
      aria-selected={selected}
      className={clsx(
        'rounded-md px-3 py-1.5 text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-emerald-500',
        selected ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 ring-1 ring-inset ring-slate-200 hover:bg-slate-50',
        className,
      )}
    />
  );
}
