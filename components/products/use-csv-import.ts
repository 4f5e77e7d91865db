'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '@/lib/api-client';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ImportResult } from '@/lib/dashboard/schemas';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { sameMapping, useColumnMapping } from './use-column-mapping';

export type ImportProgress = { done: number; total: number };
type Location = { id: string; name: string };

/**
 * One file's import: a check (nothing written) that answers the columns, a preview and the refused
 * rows; checks again with the columns the user mapped; then the import itself, its progress as the
 * server reports it, and the outcome. Choosing another file starts over.
 */
export function useCsvImport() {
  const client = useQueryClient();
  const columns = useColumnMapping();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [outcome, setOutcome] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  /** The location picked for quantities whose row names none (its id), and the store's locations to pick from. */
  const [location, setLocation] = useState('');
  const [locations, setLocations] = useState<Location[]>([]);

  const check = useMutation({
    mutationFn: (options: { mapping?: Record<string, string>; keyColumn?: string }) =>
      dashboardApi.importCsv(file!, { ...options, location: location || undefined, commit: false }),
    onMutate: () => {
      setError(null);
      setOutcome(null);
    },
    onSuccess: (result) => {
      setPreview(result);
      setLocations(result.locations ?? []);
      columns.load(result.headers ?? Object.keys(result.mapping), result.mapping, result.keyColumn ?? '');
    },
    onError: (err) => {
      setPreview(null);
      setError(errorMessage(err));
      // No key column found: offer the mapping form over the file's headers so the user can pick one.
      const details =
        err instanceof ApiError
          ? (err.details as { headers?: string[]; suggestedMapping?: Record<string, string>; locations?: Location[] } | undefined)
          : undefined;
      if (details?.headers) columns.load(details.headers, details.suggestedMapping ?? {});
      if (details?.locations) setLocations(details.locations);
    },
  });
  const commit = useMutation({
    mutationFn: () =>
      dashboardApi.importCsv(file!, {
        mapping: columns.mapping ?? undefined,
        keyColumn: columns.keyColumn || undefined,
        location: location || undefined,
        commit: true,
      }),
    onMutate: () => {
      setError(null);
      setProgress({ done: 0, total: preview?.counts.valid ?? 0 });
    },
    onSuccess: (result) => {
      setOutcome(result);
      setPreview(null);
      setProgress(null);
      void client.invalidateQueries({ queryKey: ['staged'] });
      void client.invalidateQueries({ queryKey: ['products'] });
    },
    onError: (err) => {
      setProgress(null);
      setError(errorMessage(err));
    },
  });
  useRealtimeEvent(['import_status'], (m) => {
    if (!commit.isPending || !m.data.progress) return;
    setProgress({ done: Number(m.data.progress.done ?? 0), total: Number(m.data.progress.total ?? 0) });
  });

  return {
    file,
    choose: (next: File | null) => {
      setFile(next);
      setPreview(null);
      setOutcome(null);
      setError(null);
      setLocation('');
      setLocations([]);
      columns.reset();
    },
    columns,
    location,
    locations,
    setLocation,
    /** Checks the file with the columns the server suggests. */
    checkFile: () => check.mutate({}),
    /** Checks the file again with the columns as mapped here. */
    checkColumns: () => check.mutate({ mapping: columns.mapping ?? undefined, keyColumn: columns.keyColumn || undefined }),
    commit: () => commit.mutate(),
    checking: check.isPending,
    committing: commit.isPending,
    preview,
    /** The columns or the location changed since the preview: it no longer says what would be staged. */
    stale: Boolean(
      preview && ((columns.mapping && !sameMapping(columns.mapping, preview.mapping)) || (preview.location?.id ?? '') !== location),
    ),
    progress,
    outcome,
    error,
  };
}
