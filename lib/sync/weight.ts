import { z } from 'zod';

/**
 * A variant's weight: a decimal value in one of Shopify's WeightUnit units. Shopify answers the
 * value as a Float; the canonical form is a decimal string rounded to WEIGHT_DECIMALS places with
 * trailing zeros dropped ("1.50" and 1.5 are "1.5", "2.000" is "2"), so values compare as text and
 * never drift through float arithmetic. Conversions to and from grams (the product CSV's
 * "Variant Grams") are exact decimal arithmetic on BigInt.
 */

export const WEIGHT_UNITS = ['GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];

/** The unit as Shopify's product CSV writes it ("Variant Weight Unit"). */
export const WEIGHT_UNIT_SYMBOLS: Readonly<Record<WeightUnit, string>> = Object.freeze({
  GRAMS: 'g',
  KILOGRAMS: 'kg',
  OUNCES: 'oz',
  POUNDS: 'lb',
});

const UNIT_WORDS: Readonly<Record<string, WeightUnit>> = Object.freeze({
  g: 'GRAMS',
  gr: 'GRAMS',
  gram: 'GRAMS',
  grams: 'GRAMS',
  kg: 'KILOGRAMS',
  kgs: 'KILOGRAMS',
  kilogram: 'KILOGRAMS',
  kilograms: 'KILOGRAMS',
  oz: 'OUNCES',
  ounce: 'OUNCES',
  ounces: 'OUNCES',
  lb: 'POUNDS',
  lbs: 'POUNDS',
  pound: 'POUNDS',
  pounds: 'POUNDS',
});

/** A unit from its enum name or the words people write ("kg", "Pounds", "lbs"); null when it is none. */
export function parseWeightUnit(value: unknown): WeightUnit | null {
  if (typeof value !== 'string') return null;
  return UNIT_WORDS[value.trim().toLowerCase()] ?? null;
}

/** Decimal places a weight keeps: far below any scale's precision, and every gram conversion of one stays exact. */
export const WEIGHT_DECIMALS = 9;

interface Exact {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parse(text: string): Exact | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const frac = match[3] ?? '';
  const units = BigInt(`${match[2]}${frac}`);
  return { units: match[1] ? -units : units, scale: frac.length };
}

function format({ units, scale }: Exact): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Rounds half away from zero to `places` decimals. */
function round(value: Exact, places: number): Exact {
  if (value.scale <= places) return value;
  const divisor = 10n ** BigInt(value.scale - places);
  const negative = value.units < 0n;
  const abs = negative ? -value.units : value.units;
  let q = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) q += 1n;
  return { units: negative ? -q : q, scale: places };
}

/** The canonical weight: a decimal string, null for none; text that is not a number is kept for validation to name. */
export function normalizeWeight(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(WEIGHT_DECIMALS) : String(value)) : String(value);
  const exact = parse(text);
  return exact ? format(round(exact, WEIGHT_DECIMALS)) : text.trim();
}

export const weightSchema = z
  .union([z.string(), z.number()])
  .transform((v) => normalizeWeight(v) ?? '')
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'must be a non-negative number' });

export const weightUnitSchema = z.preprocess(
  (v) => parseWeightUnit(v) ?? v,
  z.enum(WEIGHT_UNITS, { message: 'must be GRAMS, KILOGRAMS, OUNCES or POUNDS (or g, kg, oz, lb)' }),
);

/** Grams in one unit, exactly (the ounce and the pound are defined in grams). */
const GRAMS_PER_UNIT: Readonly<Record<WeightUnit, Exact>> = Object.freeze({
  GRAMS: { units: 1n, scale: 0 },
  KILOGRAMS: { units: 1000n, scale: 0 },
  OUNCES: { units: 28349523125n, scale: 9 },
  POUNDS: { units: 45359237n, scale: 5 },
});

/** A weight in grams, exactly ("2" POUNDS -> "907.18474"); null when the weight is not a number. */
export function weightInGrams(value: unknown, unit: WeightUnit): string | null {
  const exact = parse(normalizeWeight(value) ?? '');
  if (!exact) return null;
  const factor = GRAMS_PER_UNIT[unit];
  return format({ units: exact.units * factor.units, scale: exact.scale + factor.scale });
}

/**
 * Grams as a weight in `unit`, rounded to WEIGHT_DECIMALS places. The grams of a canonical weight
 * convert back to exactly that weight, so an exported file read back changes nothing.
 */
export function weightFromGrams(grams: string, unit: WeightUnit): string | null {
  const exact = parse(grams);
  if (!exact) return null;
  const factor = GRAMS_PER_UNIT[unit];
  // units / 10^scale / (f / 10^fs) = units * 10^fs / (f * 10^scale), computed to one place more than kept.
  const places = WEIGHT_DECIMALS + 1;
  const numerator = exact.units * 10n ** BigInt(factor.scale + places);
  const denominator = factor.units * 10n ** BigInt(exact.scale);
  return format(round({ units: numerator / denominator, scale: places }, WEIGHT_DECIMALS));
}

/** "1.5 kg", as people read a weight; "" when there is none. */
export function weightLabel(value: unknown, unit: unknown): string {
  const weight = normalizeWeight(value);
  if (weight === null) return '';
  const parsed = parseWeightUnit(unit);
  return parsed ? `${weight} ${WEIGHT_UNIT_SYMBOLS[parsed]}` : weight;
}
