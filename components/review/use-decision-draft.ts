'use client';

import { useState } from 'react';
import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { useIdSet } from '../ui/use-id-set';
import { parseCustomValue } from './custom-value';
import { fieldLabel } from './field-label';

export type Choice = 'local' | 'remote' | 'custom';
export type ApproveBody = { fields?: string[]; resolution?: Record<string, unknown> };

/** A value as a custom-value input shows it: lists comma-separated, nothing as empty. */
function inputText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A decision on one change as the reviewer makes it: the fields chosen, each conflict's choice and
 * custom value, and the message saying what is missing. A new change, or a new version of it,
 * starts a fresh decision with every field chosen.
 */
export function useDecisionDraft(change: StagedChangeDetail | undefined) {
  const { ids: chosen, set: choose, replace: replaceChosen } = useIdSet();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [custom, setCustom] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  // The reject reason belongs to the change (the detail is keyed by its id), not to a version of it.
  const [reason, setReason] = useState('');

  const version = change ? `${change.id}|${change.updatedAt}` : null;
  const [draftFor, setDraftFor] = useState<string | null>(null);
  if (change && version !== draftFor) {
    setDraftFor(version);
    replaceChosen(new Set(change.fields.map((f) => f.name)));
    setChoices({});
    setCustom({});
    setError(null);
  }

  /** The approve request for what is chosen, or null after saying (in `error`) what is missing. */
  function approval(): ApproveBody | null {
    if (!change) return null;
    setError(null);
    if (chosen.size === 0) return fail('Choose at least one field to approve.');
    const fields = chosen.size === change.fields.length ? undefined : [...chosen];
    if (change.kind !== 'conflict') return { fields };
    const resolution: Record<string, unknown> = {};
    for (const f of change.fields.filter((field) => chosen.has(field.name))) {
      const choice = choices[f.name];
      if (!choice) return fail(`Choose which value to keep for ${fieldLabel(change.entity, f.name)}.`);
      if (choice !== 'custom') {
        resolution[f.name] = choice;
        continue;
      }
      const parsed = parseCustomValue(change.entity, f.name, custom[f.name] ?? '');
      if (!parsed.ok) return fail(parsed.message);
      resolution[f.name] = { value: parsed.value };
    }
    return { fields, resolution };
  }
  function fail(message: string): null {
    setError(message);
    return null;
  }

  return {
    chosen,
    choose,
    choices,
    setChoice: (field: string, choice: Choice) => {
      setError(null);
      setChoices((c) => ({ ...c, [field]: choice }));
      // A custom value starts from the master's value, to be edited.
      const start = change?.fields.find((f) => f.name === field)?.local;
      if (choice === 'custom') setCustom((c) => (field in c ? c : { ...c, [field]: inputText(start) }));
    },
    custom,
    setCustomValue: (field: string, value: string) => {
      setError(null);
      setCustom((c) => ({ ...c, [field]: value }));
    },
    error,
    setError,
    approval,
    reason,
    setReason,
    /** Whether this is a whole create or delete: one decision, confirmed, no fields to choose. */
    whole: Boolean(change && change.op !== 'update'),
  };
}
