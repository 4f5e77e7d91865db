'use client';

import clsx from 'clsx';
import { Menu, X } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { NAV_ITEMS } from './nav';

/** Below the md breakpoint: a Menu button opening the pages as a list under the header; a link, Escape or the button closes it. */
export function MobileNav() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // A page was chosen: the menu closes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every navigation
  useEffect(() => setOpen(false), [pathname]);
  const current = NAV_ITEMS.find((item) => pathname === item.href || pathname.startsWith(`${item.href}/`));
  return (
    <div className="md:hidden">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="mobile-nav"
        onClick={() => setOpen(!open)}
        className={clsx(
          'inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium',
          'text-slate-800 ring-1 ring-inset ring-slate-300 focus-visible:outline-2',
          'focus-visible:outline-emerald-600',
        )}
        data-testid="mobile-menu-button"
      >
        {open ? <X className="h-4 w-4" aria-hidden /> : <Menu className="h-4 w-4" aria-hidden />}
        {current?.label ?? 'Menu'}
        <span className="sr-only">: open the menu of pages</span>
      </button>
      {open ? (
        <nav
          id="mobile-nav"
          aria-label="Main navigation"
          className="absolute inset-x-0 top-14 z-30 border-b border-slate-200 bg-white shadow-lg"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setOpen(false);
              button.current?.focus();
            }
          }}
          data-testid="mobile-nav"
        >
          <ul className="p-2">
            {NAV_ITEMS.map((item) => {
              const Icon = item.icon;
              const active = item === current;
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                    className={clsx(
                      'flex items-center gap-3 rounded-md px-3 py-3 text-base',
                      active ? 'bg-slate-900 text-white' : 'text-slate-800 hover:bg-slate-100',
                    )}
                  >
                    <Icon className="h-5 w-5" aria-hidden />
                    <span>
                      {item.label}
                      <span className={clsx('block text-xs', active ? 'text-slate-300' : 'text-slate-600')}>{item.description}</span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
