import type { ProductView } from '@/lib/dashboard/schemas';

type Variant = ProductView['variants'][number];

/** Units available of a variant at all its locations; null when no level is known. */
export function variantStock(v: Variant): number | null {
  const levels = (v.inventory ?? []).map((l) => Number(l.available)).filter(Number.isFinite);
  return levels.length ? levels.reduce((a, b) => a + b, 0) : null;
}

/** Units available of a product, all variants and locations. */
export function productStock(p: ProductView): number | null {
  const per = p.variants.map(variantStock).filter((n): n is number => n !== null);
  return per.length ? per.reduce((a, b) => a + b, 0) : null;
}

/** The product's locations, in the order first met, by name. */
export function locationsOf(p: ProductView): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const v of p.variants)
    for (const l of v.inventory ?? []) {
      const id = l.location ?? l.locationName ?? '';
      if (!seen.has(id)) seen.set(id, l.locationName ?? 'Location');
    }
  return [...seen].map(([id, name]) => ({ id, name }));
}

/** One value when every variant agrees, else the lowest and highest ("10.00 – 14.00"); a dash when none has one. */
export function moneyRange(values: unknown[]): string {
  const nums = values.map((v) => (v === null || v === undefined || v === '' ? Number.NaN : Number(v))).filter(Number.isFinite);
  if (nums.length === 0) return '—';
  const [low, high] = [Math.min(...nums), Math.max(...nums)];
  return low === high ? low.toFixed(2) : `${low.toFixed(2)} – ${high.toFixed(2)}`;
}
