/**
 * The fields a CSV column can be mapped to, shared by the server's import and the dashboard's
 * mapping form. sku and handle are the keys that find the product or variant a row changes.
 */
export const IMPORT_TARGETS = [
  'sku',
  'handle',
  'title',
  'descriptionHtml',
  'vendor',
  'productType',
  'status',
  'tags',
  'barcode',
  'price',
  'compareAtPrice',
  'cost',
  'inventoryPolicy',
  'taxable',
  'tracked',
  'available',
  'location',
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];
export const KEY_TARGETS = ['sku', 'handle'] as const;

export const IMPORT_TARGET_LABELS: Record<ImportTarget, string> = {
  sku: 'SKU (key)',
  handle: 'Handle (key)',
  title: 'Title',
  descriptionHtml: 'Description',
  vendor: 'Vendor',
  productType: 'Product type',
  status: 'Status',
  tags: 'Tags',
  barcode: 'Barcode',
  price: 'Price',
  compareAtPrice: 'Compare-at price',
  cost: 'Cost',
  inventoryPolicy: 'Inventory policy',
  taxable: 'Taxable',
  tracked: 'Inventory tracked',
  available: 'Available quantity',
  location: 'Location (for quantities)',
};
