import { describe, expect, it } from 'vitest';
import { buildBulkCatalogQuery, pushDriftCheckQuery } from '@/lib/shopify/documents';
import { PRODUCT_FIELDS, VARIANT_FIELDS } from '@/lib/shopify/documents/fragments';
import { readFields, writeInput } from '@/lib/shopify/selection';
import { productInput, variantInput } from '@/lib/shopify/writes';
import { ENTITY_FIELDS } from '@/lib/sync/fields';
import { IMPORT_TARGET_LABELS, IMPORT_TARGETS, TARGET_HEADERS, targetEntity } from '@/lib/sync/import-targets';

/** The last segment of each read path must be selected: a field left out of a document would read as null. */
const leaves = (entity: 'product' | 'variant') =>
  ENTITY_FIELDS[entity].flatMap((f) => (f.shopify ? [f.shopify.read.split('.').pop()!] : []));

describe('the field list drives the documents, inputs and CSV targets', () => {
  it('every synced product and variant field is selected by the fragments, the bulk query and the drift read', () => {
    const bulk = buildBulkCatalogQuery(['gid://shopify/Location/1']);
    for (const leaf of leaves('product')) {
      for (const doc of [PRODUCT_FIELDS, bulk, pushDriftCheckQuery]) expect(doc).toMatch(new RegExp(`\\b${leaf}\\b`));
    }
    for (const leaf of leaves('variant')) {
      for (const doc of [VARIANT_FIELDS, bulk, pushDriftCheckQuery]) expect(doc).toMatch(new RegExp(`\\b${leaf}\\b`));
    }
  });

  it('reads a field at its path and writes it at its input path', () => {
    const read = readFields('variant', {
      sku: 'A-1',
      barcode: '',
      price: '9.9',
      compareAtPrice: null,
      inventoryPolicy: 'deny',
      taxable: true,
      inventoryItem: { tracked: true, unitCost: { amount: '3.5' }, measurement: { weight: { value: 1.5, unit: 'KILOGRAMS' } } },
    });
    expect(read).toEqual({
      sku: 'A-1',
      barcode: null,
      price: '9.90',
      compareAtPrice: null,
      inventoryPolicy: 'DENY',
      taxable: true,
      tracked: true,
      cost: '3.50',
      weight: '1.5',
      weightUnit: 'KILOGRAMS',
    });
    expect(variantInput({ id: 'gid://shopify/ProductVariant/1', sku: 'A-2', price: '10.00', cost: '4.00', tracked: false })).toEqual({
      id: 'gid://shopify/ProductVariant/1',
      price: '10.00',
      inventoryItem: { sku: 'A-2', cost: '4.00', tracked: false },
    });
    expect(productInput({ title: 'T', tags: ['a'] })).toEqual({ title: 'T', tags: ['a'] });
    // Value and unit are one WeightInput (a Float and an enum): written together or not at all.
    expect(variantInput({ weight: '0.25', weightUnit: 'POUNDS' })).toEqual({
      inventoryItem: { measurement: { weight: { value: 0.25, unit: 'POUNDS' } } },
    });
    expect(variantInput({ weight: '0.25' })).toEqual({});
    expect(productInput({ category: 'gid://shopify/TaxonomyCategory/aa-1' })).toEqual({ category: 'gid://shopify/TaxonomyCategory/aa-1' });
    expect(writeInput('product', { title: 'T', notSynced: 'x' })).toEqual({ title: 'T' });
  });

  it('offers every field with CSV columns as an import target, labelled, with its Shopify export header', () => {
    for (const entity of ['product', 'variant', 'inventory_level'] as const) {
      for (const f of ENTITY_FIELDS[entity].filter((x) => x.csv)) {
        expect(IMPORT_TARGETS).toContain(f.name);
        expect(targetEntity(f.name)).toBe(entity);
        expect(IMPORT_TARGET_LABELS[f.name]).toContain(f.label);
      }
    }
    const headers = Object.fromEntries(TARGET_HEADERS);
    expect(headers.sku).toContain('variantsku');
    expect(headers.descriptionHtml).toContain('bodyhtml');
    expect(headers.cost).toContain('costperitem');
    expect(headers.available).toContain('variantinventoryqty');
    expect(IMPORT_TARGET_LABELS.sku).toBe('SKU (key)');
  });
});
