import { describeOptionsChange, normalizeOptions } from '@/lib/sync/options';

/** What a change of a product's options does, item by item ("Color → Colour", "Color: Navy → Navy blue", an order). */
export function OptionsChange({ from, to }: { from: unknown; to: unknown }) {
  const steps = describeOptionsChange(normalizeOptions(from), normalizeOptions(to));
  if (steps.length === 0) return null;
  return (
    <ul className="mt-1 list-disc pl-4 text-xs text-slate-600" data-testid="options-change">
      {steps.map((step) => (
        <li key={step}>{step}</li>
      ))}
    </ul>
  );
}
