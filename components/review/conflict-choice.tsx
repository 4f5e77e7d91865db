import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { CustomValueInput } from './custom-value';
import { fieldLabel } from './field-label';
import type { Choice } from './use-decision-draft';

const CHOSEN_WORDS: Record<Choice, string> = {
  local: "Keeping the master's value",
  remote: "Keeping Shopify's value",
  custom: 'Keeping a custom value',
};

/**
 * A conflict's resolution beside the values: the master's or Shopify's value is chosen by clicking
 * it in the table; here each chosen field says what it keeps, or takes a custom value (prefilled
 * with the master's value to edit).
 */
export function ConflictChoice({
  change,
  chosen,
  choices,
  custom,
  onChoose,
  onCustom,
}: {
  change: StagedChangeDetail;
  chosen: ReadonlySet<string>;
  choices: Readonly<Record<string, Choice>>;
  custom: Readonly<Record<string, string>>;
  onChoose: (field: string, choice: Choice) => void;
  onCustom: (field: string, value: string) => void;
}) {
  return (
    <fieldset className="space-y-3 rounded-md border border-amber-200 bg-amber-50/50 p-3" data-testid="conflict-resolution">
      <legend className="px-1 text-sm font-semibold text-amber-900">Resolve the conflict: click the value to keep, or give your own</legend>
      {change.fields
        .filter((f) => chosen.has(f.name))
        .map((f) => {
          const label = fieldLabel(change.entity, f.name);
          const choice = choices[f.name];
          return (
            <div key={f.name} className="space-y-1 text-sm">
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-medium text-slate-800">{label}:</span>
                <span className="text-slate-600" data-testid={`choice-${f.name}`}>
                  {choice ? CHOSEN_WORDS[choice] : 'Not chosen yet'}
                </span>
                <label className="flex items-center gap-1">
                  <input
                    type="radio"
                    name={`resolve-${f.name}`}
                    checked={choice === 'custom'}
                    onChange={() => onChoose(f.name, 'custom')}
                  />
                  Custom value
                </label>
              </div>
              {choice === 'custom' ? (
                <CustomValueInput name={f.name} label={label} value={custom[f.name] ?? ''} onChange={(v) => onCustom(f.name, v)} />
              ) : null}
            </div>
          );
        })}
    </fieldset>
  );
}
