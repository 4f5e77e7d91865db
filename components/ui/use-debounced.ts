'use client';

import { useEffect, useState } from 'react';

/** The value once it has stopped changing for `ms` (a search box queries once typing pauses). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** A search box: the props of its text field (type, text, setter) and `q`, the text once typing has paused. */
export function useSearch(ms = 300) {
  const [text, setText] = useState('');
  const q = useDebounced(text, ms);
  return { q, box: { type: 'search', value: text, onValue: setText } as const };
}
