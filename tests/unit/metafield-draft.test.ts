import { describe, expect, it } from 'vitest';
import { metafieldControl, metafieldDraft, metafieldEditValue } from '../../components/products/metafield-draft';
import { metafieldInputSchema } from '../../lib/sync/metafields';

describe("the product editor's metafield controls", () => {
  it('picks the control each type calls for; references are shown, not edited', () => {
    expect(
      ['single_line_text_field', 'multi_line_text_field', 'number_integer', 'number_decimal', 'boolean', 'date', 'url', 'json'].map(
        metafieldControl,
      ),
    ).toEqual(['text', 'multiline', 'integer', 'decimal', 'boolean', 'date', 'url', 'json']);
    expect(metafieldControl('list.single_line_text_field')).toBe('list');
    expect(metafieldControl('product_reference')).toBe('reference');
    expect(metafieldControl('list.product_reference')).toBe('reference');
  });

  it('reads back what it shows: a list one item a line, JSON pretty, text as typed; each valid for its type', () => {
    const cases = [
      { type: 'list.single_line_text_field', value: ['Black', 'Sand'] },
      { type: 'json', value: { layers: 1, washable: true } },
      { type: 'multi_line_text_field', value: 'Wash cold.\nDo not tumble dry.' },
      { type: 'number_decimal', value: '4.5' },
      { type: 'boolean', value: false },
    ];
    for (const mf of cases) {
      const edit = metafieldEditValue(mf.type, metafieldDraft(mf));
      expect(edit).toEqual({ value: mf.value });
      expect(metafieldInputSchema(mf.type).parse((edit as { value: unknown }).value)).toEqual(mf);
    }
    expect(metafieldDraft({ type: 'list.single_line_text_field', value: ['Black', 'Sand'] })).toBe('Black\nSand');
  });

  it('blank is no value, blank lines of a list are dropped, and JSON that does not parse is refused before sending', () => {
    expect(metafieldEditValue('single_line_text_field', '   ')).toEqual({ value: null });
    expect(metafieldEditValue('boolean', '')).toEqual({ value: null });
    expect(metafieldEditValue('list.single_line_text_field', 'Black\n\n  Ochre \n')).toEqual({ value: ['Black', 'Ochre'] });
    expect(metafieldEditValue('json', '{"lining": ')).toEqual({ problem: 'is not valid JSON' });
    expect(metafieldEditValue('single_line_text_field', '  Cotton ')).toEqual({ value: 'Cotton' });
  });
});
