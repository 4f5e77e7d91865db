'use client';

import { useCallback, useState } from 'react';
import { KEY_TARGETS } from '@/lib/sync/import-targets';

/** Each column of the file and the field it fills; '' ignores the column. */
export type Mapping = Record<string, string>;

const isKeyTarget = (target: string | undefined) => (KEY_TARGETS as readonly string[]).includes(target ?? '');

/** Whether two mappings fill the same fields from the same columns (ignored columns aside). */
export function sameMapping(a: Mapping | null | undefined, b: Mapping | null | undefined): boolean {
  const filled = (m: Mapping | null | undefined) =>
    JSON.stringify(
      Object.entries(m ?? {})
        .filter(([, target]) => target)
        .sort(),
    );
  return filled(a) === filled(b);
}

/**
 * The file's columns, the field each one fills, and the key column products are found by when more
 * than one column holds a key (SKU, handle). Empty until a check of the file names the columns.
 */
export type ColumnMappingState = ReturnType<typeof useColumnMapping>;

export function useColumnMapping() {
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [keyColumn, setKeyColumn] = useState('');

  /** The columns as a check named them, with the mapping it suggested (and its key column, when it found one). */
  const load = useCallback((columns: string[], suggested: Mapping, key?: string) => {
    setHeaders(columns);
    setMapping(Object.fromEntries(columns.map((h) => [h, suggested[h] ?? ''])));
    if (key !== undefined) setKeyColumn(key);
  }, []);
  const reset = useCallback(() => {
    setHeaders([]);
    setMapping(null);
    setKeyColumn('');
  }, []);
  /** A field takes one column: moving it to this column frees the column that had it. */
  const assign = (column: string, target: string) => {
    if (!mapping) return;
    const next = Object.fromEntries(Object.entries(mapping).map(([h, t]) => [h, target && t === target ? '' : t]));
    next[column] = target;
    setMapping(next);
    if (keyColumn && !isKeyTarget(next[keyColumn])) setKeyColumn('');
  };

  return {
    headers,
    mapping,
    keyColumn,
    setKeyColumn,
    keyOptions: headers.filter((h) => isKeyTarget(mapping?.[h])),
    load,
    reset,
    assign,
  };
}
