import { gid, type InventoryItemRecord, inventoryLevelGid, type ProductRecord, type ShopState } from './state';
import { taxonomyCategory } from './taxonomy';

/** REST-shaped webhook payloads, as Shopify sends them (numeric ids, snake_case, tags as one string). */
export function productPayload(state: ShopState, p: ProductRecord) {
  const variants = p.variantIds.map((id) => state.variants.get(id)!).filter(Boolean);
  return {
    admin_graphql_api_id: gid('Product', p.id),
    body_html: p.descriptionHtml,
    created_at: p.createdAt,
    handle: p.handle,
    id: p.id,
    product_type: p.productType,
    published_at: p.status === 'ACTIVE' ? p.createdAt : null,
    template_suffix: null,
    title: p.title,
    updated_at: p.updatedAt,
    vendor: p.vendor,
    status: p.status.toLowerCase(),
    published_scope: 'global',
    tags: p.tags.join(', '),
    variants: variants.slice(0, 100).map((v) => {
      const item = state.inventoryItems.get(v.inventoryItemId);
      return {
        admin_graphql_api_id: gid('ProductVariant', v.id),
        barcode: v.barcode,
        compare_at_price: v.compareAtPrice,
        created_at: v.createdAt,
        id: v.id,
        inventory_policy: v.inventoryPolicy.toLowerCase(),
        position: v.position,
        price: v.price,
        product_id: p.id,
        sku: item?.sku ?? null,
        taxable: v.taxable,
        ...weightFields(item?.weight),
        title: v.title,
        updated_at: v.updatedAt,
        option1: v.selectedOptions[0]?.value ?? null,
        option2: v.selectedOptions[1]?.value ?? null,
        option3: v.selectedOptions[2]?.value ?? null,
        image_id: null,
        inventory_item_id: v.inventoryItemId,
        inventory_quantity: state.variantQuantity(v),
        old_inventory_quantity: state.variantQuantity(v),
      };
    }),
    variant_gids: variants.map((v) => ({ admin_graphql_api_id: gid('ProductVariant', v.id), updated_at: v.updatedAt })),
    options: p.options.map((o, i) => ({ name: o.name, id: o.id, product_id: p.id, position: i + 1, values: o.values })),
    images: [],
    image: null,
    media: [],
    has_variants_that_requires_components: false,
    category: categoryPayload(p.category),
  };
}

const GRAMS_PER: Record<string, number> = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: 28.349523125, POUNDS: 453.59237 };
const UNIT_SYMBOL: Record<string, string> = { GRAMS: 'g', KILOGRAMS: 'kg', OUNCES: 'oz', POUNDS: 'lb' };

/** A variant's weight as the REST payload has it: grams (a whole number), the weight and its unit symbol. */
function weightFields(weight: InventoryItemRecord['weight'] | undefined) {
  if (!weight) return { grams: 0, weight: 0, weight_unit: 'kg' };
  return { grams: Math.round(weight.value * GRAMS_PER[weight.unit]!), weight: weight.value, weight_unit: UNIT_SYMBOL[weight.unit] };
}

/** The product's category as webhooks (2024-10 on) carry it: a trimmed TaxonomyCategory. */
function categoryPayload(id: string | null | undefined) {
  const record = taxonomyCategory(id);
  return record ? { admin_graphql_api_id: id, name: record.fullName.split(' > ').pop(), full_name: record.fullName } : null;
}

export function inventoryLevelPayload(itemId: number, locationId: number, available: number, updatedAt: string) {
  return {
    inventory_item_id: itemId,
    location_id: locationId,
    available,
    updated_at: updatedAt,
    admin_graphql_api_id: inventoryLevelGid(locationId, itemId),
  };
}

export function collectionPayload(state: ShopState, collectionId: number) {
  const c = state.collections.get(collectionId);
  if (!c) return { id: collectionId };
  return {
    id: c.id,
    admin_graphql_api_id: gid('Collection', c.id),
    handle: c.handle,
    title: c.title,
    updated_at: c.updatedAt,
    body_html: c.descriptionHtml,
    published_at: c.updatedAt,
    sort_order: 'manual',
    template_suffix: null,
    published_scope: 'global',
  };
}
