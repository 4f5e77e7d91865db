import { describe, expect, it } from 'vitest';
import { failedFieldLabel, fieldOfErrorPath, userErrorsText } from '../../lib/sync/field-errors';

describe("Shopify's userErrors name the field by its label", () => {
  it('finds the synced field of an input path, indexes and wrappers dropped', () => {
    expect(fieldOfErrorPath('product', ['product', 'handle'])?.label).toBe('Handle');
    expect(fieldOfErrorPath('product', ['input', 'seo', 'title'])?.label).toBe('SEO title');
    expect(fieldOfErrorPath('variant', ['variants', '1', 'inventoryItem', 'sku'])?.label).toBe('SKU');
    expect(fieldOfErrorPath('variant', ['variants', '0', 'price'])?.label).toBe('Price');
    expect(fieldOfErrorPath('inventory_level', ['input', 'quantities', '0', 'changeFromQuantity'])?.label).toBe('Available');
    expect(fieldOfErrorPath('membership', ['product', 'handle'])?.label).toBe('Handle');
    expect(fieldOfErrorPath('product', ['id'])).toBeUndefined();
    expect(fieldOfErrorPath('product', null)).toBeUndefined();
  });

  it('writes each error with its label, and reads the label back', () => {
    const text = userErrorsText('product', [
      { field: ['product', 'handle'], message: "Handle 'cap' already in use" },
      { field: ['id'], message: 'Product does not exist' },
      { message: 'Something else' },
    ]);
    expect(text).toBe("Handle: Handle 'cap' already in use; id: Product does not exist; Something else");
    expect(failedFieldLabel('product', text)).toBe('Handle');
    expect(failedFieldLabel('product', 'SEO title: is too long')).toBe('SEO title');
    expect(failedFieldLabel('product', 'Title is too long')).toBe('Title');
    expect(failedFieldLabel('variant', 'Could not write')).toBeNull();
  });
});
