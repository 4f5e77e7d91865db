import { parseOptionsText } from '@/lib/sync/options';
import { specOf } from './field-label';

/** Parses what a reviewer typed for a field and validates it with the field's own schema. */
export function parseCustomValue(
  entity: string,
  field: string,
  input: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const spec = specOf(entity, field);
  if (!spec) return { ok: true, value: input };
  const word = input.trim().toLowerCase();
  let raw: unknown = input;
  if (spec.type === 'boolean') raw = word === 'true' ? true : word === 'false' ? false : input;
  if (spec.type === 'money' && input.trim() === '') raw = null;
  if (spec.type === 'options') raw = parseOptionsText(input);
  // A category is typed by its full name: the server turns it into the taxonomy id it stores.
  if (spec.type === 'category') return { ok: true, value: input.trim() || null };
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `${spec.label} ${parsed.error.issues[0]?.message ?? 'is not valid'}` };
  return { ok: true, value: parsed.data };
}

/** The value a reviewer types to resolve a conflict with neither side's value; checked by parseCustomValue on approve. */
export function CustomValueInput({
  name,
  label,
  value,
  onChange,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <input
      type="text"
      className="w-full rounded border border-slate-300 px-2 py-1 text-sm"
      aria-label={`Custom value for ${label}`}
      data-testid={`custom-${name}`}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
