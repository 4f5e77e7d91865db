import { describe, expect, it } from 'vitest';
import { readFields } from '@/lib/shopify/selection';
import {
  describeOptionsChange,
  formatOptions,
  localSelectedOptions,
  matchOptions,
  normalizeOptions,
  onlyAddedByVariants,
  optionsSchema,
  optionsWithVariants,
  parseOptionsText,
} from '@/lib/sync/options';

const COLOR = { name: 'Color', values: ['Red', 'Navy'] };
const SIZE = { name: 'Size', values: ['S', 'M', 'L'] };

describe('product options: canonical form, matching and wording', () => {
  it("reads Shopify's options in order, and its default option as none", () => {
    const raw = {
      options: [
        { name: 'Size', optionValues: [{ name: 'M' }, { name: 'S' }] },
        { name: 'Color', optionValues: [{ name: 'Red' }] },
      ],
    };
    expect(readFields('product', raw).options).toEqual([
      { name: 'Size', values: ['M', 'S'] },
      { name: 'Color', values: ['Red'] },
    ]);
    expect(normalizeOptions([{ name: 'Title', values: ['Default Title'] }])).toEqual([]);
  });

  it('matches by name first, then the unmatched in order: renames and reorders, nothing added or removed', () => {
    const match = matchOptions(
      [COLOR, SIZE],
      [
        { name: 'Size', values: ['L', 'S', 'M'] },
        { name: 'Colour', values: ['Red', 'Navy blue'] },
      ],
    );
    expect(match).toEqual({
      ok: true,
      options: [
        {
          from: 1,
          name: 'Size',
          values: [
            { from: 2, name: 'L' },
            { from: 0, name: 'S' },
            { from: 1, name: 'M' },
          ],
        },
        {
          from: 0,
          name: 'Colour',
          values: [
            { from: 0, name: 'Red' },
            { from: 1, name: 'Navy blue' },
          ],
        },
      ],
    });
    expect(matchOptions([COLOR, SIZE], [COLOR])).toMatchObject({ ok: false });
    expect(matchOptions([COLOR], [{ ...COLOR, values: ['Red', 'Navy', 'Green'] }])).toMatchObject({ ok: false });
  });

  it('writes options as one line the review shows, and reads a typed line back', () => {
    expect(formatOptions([COLOR, SIZE])).toBe('Color: Red, Navy · Size: S, M, L');
    expect(parseOptionsText('Colour: Red, Navy blue · Size: S, M, L')).toEqual([{ name: 'Colour', values: ['Red', 'Navy blue'] }, SIZE]);
    expect(parseOptionsText(formatOptions([]))).toEqual([]);
  });

  it('says what an edit does, for the review', () => {
    expect(describeOptionsChange([COLOR, SIZE], [{ name: 'Colour', values: ['Red', 'Navy blue'] }, SIZE])).toEqual([
      'option Color → Colour',
      'Colour: Navy → Navy blue',
    ]);
    expect(describeOptionsChange([COLOR, SIZE], [SIZE, COLOR])).toEqual(['options reordered: Size, Color']);
  });

  it("names a variant's values as the master does while a rename waits for its push", () => {
    const selected = [
      { name: 'Color', value: 'Navy' },
      { name: 'Size', value: 'M' },
    ];
    expect(localSelectedOptions([COLOR, SIZE], [SIZE, { name: 'Colour', values: ['Red', 'Navy blue'] }], selected)).toEqual([
      { name: 'Size', value: 'M' },
      { name: 'Colour', value: 'Navy blue' },
    ]);
  });

  it('refuses more than 3 options, duplicate names or values, blank and over-long names', () => {
    expect(optionsSchema.safeParse([COLOR, SIZE]).success).toBe(true);
    for (const bad of [
      [COLOR, SIZE, { name: 'A', values: ['x'] }, { name: 'B', values: ['y'] }],
      [COLOR, { ...SIZE, name: 'color' }],
      [{ ...COLOR, values: ['Red', 'red'] }],
      [{ ...COLOR, values: [] }],
      [{ ...COLOR, name: ' ' }],
      [{ ...COLOR, values: ['x'.repeat(256)] }],
    ])
      expect(optionsSchema.safeParse(bad).success).toBe(false);
  });
});

describe('options that new variants bring', () => {
  const navyXl = [
    { name: 'Color', value: 'Navy' },
    { name: 'Size', value: 'XL' },
  ];
  const greenS = [
    { name: 'Color', value: 'Green' },
    { name: 'Size', value: 'S' },
  ];

  it("takes a new variant's values into the options in Shopify's order, one variant at a time", () => {
    const remote = [
      { name: 'Color', values: ['Red', 'Navy', 'Green'] },
      { name: 'Size', values: ['S', 'M', 'L', 'XL'] },
    ];
    expect(optionsWithVariants([COLOR, SIZE], remote, [navyXl])).toEqual([COLOR, { name: 'Size', values: ['S', 'M', 'L', 'XL'] }]);
    expect(onlyAddedByVariants([COLOR, SIZE], remote, [navyXl])).toBe(false);
    expect(onlyAddedByVariants([COLOR, SIZE], remote, [navyXl, greenS])).toBe(true);
  });

  it('is no options edit only when Shopify holds the base plus those values', () => {
    const renamed = [
      { name: 'Colour', values: ['Red', 'Navy'] },
      { name: 'Size', values: ['S', 'M', 'L', 'XL'] },
    ];
    const reordered = [
      { name: 'Color', values: ['Navy', 'Red'] },
      { name: 'Size', values: ['S', 'M', 'L', 'XL'] },
    ];
    const dropped = [COLOR, { name: 'Size', values: ['S', 'XL'] }];
    for (const remote of [renamed, reordered, dropped]) expect(onlyAddedByVariants([COLOR, SIZE], remote, [navyXl])).toBe(false);
    expect(optionsWithVariants([COLOR, SIZE], [COLOR, SIZE], [navyXl])).toBeNull();
    expect(onlyAddedByVariants([COLOR, SIZE], [COLOR, SIZE], [])).toBe(false);
  });
});
