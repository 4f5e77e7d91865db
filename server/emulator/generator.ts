import { handleize, ID_START, type InventoryItemRecord, type ProductRecord, type ProductStatus, type ShopState } from './state';
import { CATEGORY_OF_TYPE, TAXONOMY_GID_PREFIX } from './taxonomy';

/** mulberry32: small, fast, deterministic. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VENDORS = [
  'Acme Outfitters',
  'Nordlicht GmbH',
  'Café Olé',
  'Blue Harbor',
  'Kōbō Works',
  'Tienda Ñandú',
  'Zephyr & Co',
  'Maison Élan',
];
const TYPES = ['Shirts', 'Shoes', 'Mugs', 'Posters', 'Bags', 'Hats', 'Candles', 'Notebooks'];
const ADJECTIVES = ['Classic', 'Organic', 'Vintage', 'Ultra-light', 'Handmade', 'Recycled', 'Limited', 'Everyday', 'Crème', 'Straße'];
const NOUNS = ['Tee', 'Sneaker', 'Mug', 'Print', 'Tote', 'Cap', 'Candle', 'Journal', 'Hoodie', 'Scarf'];
const EMOJI = ['🌊', '🔥', '☕', '🎨', '🌿', '✨'];
const TAGS = ['sale', 'new', 'summer', 'winter', 'eco', 'bestseller', 'gift', 'clearance', 'b2b', 'übergröße'];
const OPTION_SETS: Array<Array<{ name: string; values: string[] }>> = [
  [],
  [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }],
  [{ name: 'Color', values: ['Black', 'White', 'Crimson'] }],
  [
    { name: 'Size', values: ['S', 'M', 'L'] },
    { name: 'Color', values: ['Navy', 'Sand'] },
  ],
  [
    { name: 'Size', values: ['8', '9', '10'] },
    { name: 'Color', values: ['Red', 'Blue'] },
    { name: 'Material', values: ['Leather', 'Canvas'] },
  ],
];
const LOCATIONS = [
  { name: 'Main Warehouse', city: 'Ottawa', countryCode: 'CA' },
  { name: 'Berlin Store', city: 'Berlin', countryCode: 'DE' },
  { name: 'Online Fulfilment', city: 'Chicago', countryCode: 'US' },
  { name: 'Pop-up (inactive)', city: 'Lyon', countryCode: 'FR', inactive: true },
];
const COLLECTIONS = [
  'Frontpage',
  'Summer Picks',
  'Gifts under 50',
  'Eco Line',
  'Clearance',
  'Staff Favourites ⭐',
  'New Arrivals',
  'B2B Catalogue',
];

const BASE_TIME = Date.parse('2026-06-01T00:00:00Z');

/** `full`: products with metafields (every other one) and images (all); `basic`: neither, the rest unchanged. */
export type CatalogDepth = 'basic' | 'full';

export interface GenerateOptions {
  products: number;
  seed: number;
  /** Default `full`. */
  depth?: CatalogDepth;
  /** Added to every id (ShopState.idOffset): the same catalog as another store's, under other ids. */
  idOffset?: number;
}

/**
 * Fills the state with a deterministic catalog: same (products, seed) → same ids, titles, prices,
 * quantities. Variety on purpose: unicode, emoji, HTML descriptions, long titles, null barcodes,
 * 1-12 variants with up to 3 options, inventory at several locations, custom collections.
 */
export function generateCatalog(state: ShopState, { products, seed, depth = 'full', idOffset = 0 }: GenerateOptions): void {
  state.idOffset = idOffset;
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const activeLocations: number[] = [];
  LOCATIONS.forEach((loc, index) => {
    const id = state.nextId('location', ID_START.location);
    state.locations.set(id, {
      id,
      name: loc.name,
      city: loc.city,
      countryCode: loc.countryCode,
      isActive: !loc.inactive,
      isPrimary: index === 0,
      createdAt: new Date(BASE_TIME - 86_400_000 * 30).toISOString(),
    });
    if (!loc.inactive) activeLocations.push(id);
  });
  const collectionIds = COLLECTIONS.map((title) => {
    const id = state.nextId('collection', ID_START.collection);
    state.collections.set(id, {
      id,
      title,
      handle: handleize(title),
      descriptionHtml: `<p>${title}</p>`,
      productIds: new Set(),
      updatedAt: new Date(BASE_TIME).toISOString(),
    });
    return id;
  });

  for (let i = 0; i < products; i++) {
    const createdMs = BASE_TIME + i * 1000;
    const createdAt = new Date(createdMs).toISOString();
    const updatedAt = new Date(createdMs + Math.floor(random() * 86_400_000 * 30)).toISOString();
    let title = `${pick(ADJECTIVES)} ${pick(NOUNS)} ${i + 1}`;
    const flavour = random();
    if (flavour < 0.05) title = `${title} ${pick(EMOJI)}`;
    else if (flavour < 0.08) title = `${title} — ${'extra long title segment '.repeat(8).trim()}`;
    const id = state.nextId('product', ID_START.product);
    const handle = state.uniqueHandle(handleize(title));
    const optionSet = random() < 0.08 ? OPTION_SETS[0]! : pick(OPTION_SETS.slice(1));
    const product: ProductRecord = {
      id,
      title,
      handle,
      descriptionHtml:
        random() < 0.1
          ? ''
          : `<p>The <strong>${title}</strong> — made with care.</p>${random() < 0.2 ? '<ul><li>Ünïcödé &amp; “quotes”</li></ul>' : ''}`,
      vendor: pick(VENDORS),
      productType: pick(TYPES),
      status: (random() < 0.8 ? 'ACTIVE' : random() < 0.6 ? 'DRAFT' : 'ARCHIVED') as ProductStatus,
      tags: TAGS.filter(() => random() < 0.18),
      seo: { title: null, description: null },
      options: [],
      variantIds: [],
      collectionIds: new Set(),
      createdAt,
      updatedAt,
    };
    // Some products carry SEO text (derived, not drawn: the seeded catalog stays as it was).
    if (i % 3 === 0) product.seo.title = `${title} | ${product.vendor}`;
    if (i % 5 === 0) product.seo.description = `Buy the ${title} from ${product.vendor}.`;
    // Three products in four have a category, their type's (derived as well).
    product.category = i % 4 === 3 ? null : TAXONOMY_GID_PREFIX + CATEGORY_OF_TYPE[product.productType]!;
    product.options = (optionSet.length === 0 ? [{ name: 'Title', values: ['Default Title'] }] : optionSet).map((o) => ({
      id: state.nextId('option', 10_000_000_001),
      name: o.name,
      values: [...o.values],
    }));
    const combos = combinations(product.options);
    const variantCount = Math.min(combos.length, 2 + Math.floor(random() * 4));
    const basePrice = 5 + Math.floor(random() * 19500) / 100;
    for (let v = 0; v < variantCount; v++) {
      const selected = combos[v]!;
      const variantId = state.nextId('variant', ID_START.variant);
      const itemId = state.nextId('inventoryItem', ID_START.inventoryItem);
      const levels = new Map<number, { available: number; onHand: number; updatedAt: string }>();
      for (const locationId of activeLocations) {
        if (random() < 0.3 && levels.size > 0) continue;
        const available = Math.floor(random() * 120) - (random() < 0.03 ? 5 : 0);
        levels.set(locationId, { available, onHand: Math.max(available, 0), updatedAt });
      }
      state.inventoryItems.set(itemId, {
        id: itemId,
        variantId,
        sku: random() < 0.05 ? null : `SKU-${seed}-${i + 1}-${v + 1}`,
        tracked: random() < 0.9,
        cost: random() < 0.3 ? null : (basePrice * 0.4).toFixed(2),
        weight: weightOf(i, v),
        createdAt,
        updatedAt,
        levels,
      });
      state.variants.set(variantId, {
        id: variantId,
        productId: id,
        title: selected.map((s) => s.value).join(' / '),
        price: (basePrice + v).toFixed(2),
        compareAtPrice: random() < 0.25 ? (basePrice * 1.3 + v).toFixed(2) : null,
        barcode: random() < 0.3 ? null : String(400000000000 + Math.floor(random() * 99999999999)),
        inventoryPolicy: random() < 0.1 ? 'CONTINUE' : 'DENY',
        taxable: random() < 0.95,
        position: v + 1,
        selectedOptions: selected,
        inventoryItemId: itemId,
        createdAt,
        updatedAt,
      });
      product.variantIds.push(variantId);
    }
    const memberships = random() < 0.6 ? 1 + Math.floor(random() * 2) : 0;
    for (let c = 0; c < memberships; c++) {
      const collectionId = pick(collectionIds);
      product.collectionIds.add(collectionId);
      state.collections.get(collectionId)!.productIds.add(id);
    }
    // One to three images (derived, not drawn, like SEO), served by the emulator itself (views/media.ts).
    product.mediaIds = [];
    for (let m = 0; depth === 'full' && m < 1 + (i % 3); m++) {
      const mediaId = state.nextId('media', ID_START.media);
      const alt = m === 0 ? `${title}` : i % 2 === 0 ? `${title}, view ${m + 1}` : '';
      state.media.set(mediaId, { id: mediaId, alt, url: null, width: 800, height: 800, productIds: new Set([id]), createdAt, updatedAt });
      product.mediaIds.push(mediaId);
    }
    state.products.set(id, product);
    state.handles.set(handle, id);
  }
  addMetafields(state, depth);
  state.touch();
}

const WEIGHT_UNITS = ['GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS'] as const;

/** A variant's weight, derived from its product's and its own position (in each unit, whole and fractional values). */
function weightOf(product: number, variant: number): InventoryItemRecord['weight'] {
  const unit = WEIGHT_UNITS[product % WEIGHT_UNITS.length]!;
  const step = ((product * 37 + variant * 11) % 40) + 1;
  const value = unit === 'GRAMS' ? step * 25 : unit === 'KILOGRAMS' ? step / 20 : unit === 'OUNCES' ? step / 2 : step / 10;
  return { value, unit };
}

/** The store's metafield definitions: one of each simple type, a list and a reference; and one for variants. */
const METAFIELD_DEFINITIONS = [
  { ownerType: 'PRODUCT', key: 'material', name: 'Material', type: 'single_line_text_field', validations: [{ name: 'max', value: '100' }] },
  { ownerType: 'PRODUCT', key: 'care_guide', name: 'Care guide', type: 'multi_line_text_field', validations: [] },
  { ownerType: 'PRODUCT', key: 'weight_grams', name: 'Weight (g)', type: 'number_integer', validations: [{ name: 'min', value: '0' }] },
  {
    ownerType: 'PRODUCT',
    key: 'rating',
    name: 'Rating',
    type: 'number_decimal',
    validations: [
      { name: 'min', value: '0' },
      { name: 'max', value: '5' },
    ],
  },
  { ownerType: 'PRODUCT', key: 'eco', name: 'Eco friendly', type: 'boolean', validations: [] },
  { ownerType: 'PRODUCT', key: 'release_date', name: 'Release date', type: 'date', validations: [] },
  { ownerType: 'PRODUCT', key: 'spec_sheet', name: 'Spec sheet', type: 'url', validations: [] },
  { ownerType: 'PRODUCT', key: 'specs', name: 'Specs', type: 'json', validations: [] },
  { ownerType: 'PRODUCT', key: 'colors', name: 'Colors', type: 'list.single_line_text_field', validations: [] },
  { ownerType: 'PRODUCT', key: 'related', name: 'Related product', type: 'product_reference', validations: [] },
  { ownerType: 'PRODUCTVARIANT', key: 'size_chart', name: 'Size chart', type: 'single_line_text_field', validations: [] },
] as const;

const MATERIALS = ['Cotton', 'Recycled polyester', 'Stoneware', 'Beeswax', 'Leather', 'Canvas'];

/**
 * Metafields on every other product, a few each of several types, derived from the product's index
 * (no draws from the catalog's random sequence: the seeded catalog stays as it was).
 */
function addMetafields(state: ShopState, depth: CatalogDepth): void {
  const at = new Date(BASE_TIME).toISOString();
  for (const d of METAFIELD_DEFINITIONS) {
    const id = state.nextId('metafieldDefinition', ID_START.metafieldDefinition);
    state.metafieldDefinitions.set(id, { id, namespace: 'custom', description: null, ...d, validations: [...d.validations] });
  }
  if (depth === 'basic') return;
  const ids = [...state.products.keys()];
  ids.forEach((productId, i) => {
    if (i % 2 !== 0) return;
    const values: Array<[string, string, string]> = [['material', 'single_line_text_field', MATERIALS[i % MATERIALS.length]!]];
    if (i % 4 === 0) values.push(['weight_grams', 'number_integer', String(100 + ((i * 37) % 900))]);
    if (i % 4 === 2) values.push(['colors', 'list.single_line_text_field', JSON.stringify(['Black', i % 3 ? 'Sand' : 'Navy'])]);
    if (i % 6 === 0) values.push(['eco', 'boolean', i % 12 === 0 ? 'true' : 'false']);
    if (i % 8 === 0) values.push(['care_guide', 'multi_line_text_field', 'Wash cold.\nDo not tumble dry.']);
    if (i % 10 === 0) values.push(['rating', 'number_decimal', `${(i % 5) + 0}.5`]);
    if (i % 12 === 0) values.push(['release_date', 'date', `2026-0${1 + (i % 9)}-15`]);
    if (i % 14 === 0) values.push(['spec_sheet', 'url', `https://example.com/specs/${i}.pdf`]);
    if (i % 16 === 0) values.push(['specs', 'json', JSON.stringify({ layers: 1 + (i % 3), washable: true })]);
    if (i % 18 === 0 && i > 0) values.push(['related', 'product_reference', `gid://shopify/Product/${ids[i - 1]}`]);
    const product = state.products.get(productId)!;
    product.metafields = new Map(
      values.map(([key, type, value]) => [
        `custom.${key}`,
        { id: state.nextId('metafield', ID_START.metafield), namespace: 'custom', key, type, value, createdAt: at, updatedAt: at },
      ]),
    );
  });
}

function combinations(options: Array<{ name: string; values: string[] }>): Array<Array<{ name: string; value: string }>> {
  let result: Array<Array<{ name: string; value: string }>> = [[]];
  for (const option of options) {
    const next: Array<Array<{ name: string; value: string }>> = [];
    for (const prefix of result) for (const value of option.values) next.push([...prefix, { name: option.name, value }]);
    result = next;
  }
  return result;
}
