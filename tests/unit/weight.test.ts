import { describe, expect, it } from 'vitest';
import { normalizeWeight, parseWeightUnit, weightFromGrams, weightInGrams, weightLabel, weightSchema } from '../../lib/sync/weight';

describe('weights', () => {
  it('compare in one canonical form, whatever their spelling or float', () => {
    expect(['1.5', '1.50', 1.5, ' 01.500 '].map(normalizeWeight)).toEqual(['1.5', '1.5', '1.5', '1.5']);
    expect(normalizeWeight(2)).toBe('2');
    expect(normalizeWeight(0.1 + 0.2)).toBe('0.3');
    expect(normalizeWeight(null)).toBeNull();
    expect(weightSchema.safeParse('-1').success).toBe(false);
    expect(weightSchema.safeParse('heavy').success).toBe(false);
  });

  it('read units by name or symbol, in any case', () => {
    expect(['kg', 'KILOGRAMS', 'Lbs', 'oz', 'g', 'stone'].map(parseWeightUnit)).toEqual([
      'KILOGRAMS',
      'KILOGRAMS',
      'POUNDS',
      'OUNCES',
      'GRAMS',
      null,
    ]);
    expect(weightLabel('1.50', 'POUNDS')).toBe('1.5 lb');
  });

  it('convert to grams exactly and back to the same weight', () => {
    expect(weightInGrams('2', 'POUNDS')).toBe('907.18474');
    expect(weightInGrams('1.25', 'KILOGRAMS')).toBe('1250');
    expect(weightInGrams('3.5', 'OUNCES')).toBe('99.2233309375');
    for (const unit of ['GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS'] as const)
      for (const w of ['0', '0.001', '1.3', '2.2', '17.123456789'])
        expect(weightFromGrams(weightInGrams(w, unit)!, unit)).toBe(normalizeWeight(w));
    expect(weightFromGrams('1000', 'POUNDS')).toBe('2.204622622');
  });
});
