import type { GraphQLResolveInfo } from 'graphql';
import { connection } from './connection';
import type { Args, EmulatorContext } from './context';

/**
 * A small, fixed part of Shopify's standard product taxonomy: categories named by their code
 * (gid://shopify/TaxonomyCategory/<code>, a child's code extends its parent's) and full name.
 * Enough for the generated catalog and for resolving names; the same in every emulator.
 */
const CATEGORIES: ReadonlyArray<readonly [string, string]> = [
  ['aa', 'Apparel & Accessories'],
  ['aa-1', 'Apparel & Accessories > Clothing'],
  ['aa-1-1', 'Apparel & Accessories > Clothing > Activewear'],
  ['aa-1-4', 'Apparel & Accessories > Clothing > Dresses'],
  ['aa-1-13', 'Apparel & Accessories > Clothing > Clothing Tops'],
  ['aa-1-13-7', 'Apparel & Accessories > Clothing > Clothing Tops > Shirts'],
  ['aa-1-13-8', 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts'],
  ['aa-1-13-13', 'Apparel & Accessories > Clothing > Clothing Tops > Hoodies'],
  ['aa-2', 'Apparel & Accessories > Clothing Accessories'],
  ['aa-2-17', 'Apparel & Accessories > Clothing Accessories > Hats'],
  ['aa-2-27', 'Apparel & Accessories > Clothing Accessories > Scarves & Shawls'],
  ['aa-5', 'Apparel & Accessories > Handbags, Wallets & Cases'],
  ['aa-5-4', 'Apparel & Accessories > Handbags, Wallets & Cases > Handbags'],
  ['aa-5-4-13', 'Apparel & Accessories > Handbags, Wallets & Cases > Handbags > Tote Bags'],
  ['aa-8', 'Apparel & Accessories > Shoes'],
  ['aa-8-8', 'Apparel & Accessories > Shoes > Sneakers'],
  ['aa-8-2', 'Apparel & Accessories > Shoes > Boots'],
  ['ae', 'Arts & Entertainment'],
  ['ae-2', 'Arts & Entertainment > Hobbies & Creative Arts'],
  ['ae-2-1', 'Arts & Entertainment > Hobbies & Creative Arts > Arts & Crafts'],
  ['hg', 'Home & Garden'],
  ['hg-3', 'Home & Garden > Decor'],
  ['hg-3-4', 'Home & Garden > Decor > Artwork'],
  ['hg-3-4-2', 'Home & Garden > Decor > Artwork > Posters, Prints, & Visual Artwork'],
  ['hg-3-10', 'Home & Garden > Decor > Candles'],
  ['hg-3-32', 'Home & Garden > Decor > Home Fragrances'],
  ['hg-11', 'Home & Garden > Kitchen & Dining'],
  ['hg-11-10', 'Home & Garden > Kitchen & Dining > Tableware'],
  ['hg-11-10-5', 'Home & Garden > Kitchen & Dining > Tableware > Drinkware'],
  ['hg-11-10-5-5', 'Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs'],
  ['os', 'Office Supplies'],
  ['os-4', 'Office Supplies > Paper Products'],
  ['os-4-6', 'Office Supplies > Paper Products > Notebooks & Notepads'],
  ['sg', 'Sporting Goods'],
  ['sg-4', 'Sporting Goods > Outdoor Recreation'],
  ['sg-4-10', 'Sporting Goods > Outdoor Recreation > Camping & Hiking'],
  ['ap', 'Animals & Pet Supplies'],
  ['ap-2', 'Animals & Pet Supplies > Pet Supplies'],
  ['ap-2-3', 'Animals & Pet Supplies > Pet Supplies > Dog Supplies'],
];

export const TAXONOMY_GID_PREFIX = 'gid://shopify/TaxonomyCategory/';

export interface TaxonomyCategoryRecord {
  /** Position in the list: the connection's cursor key. */
  id: number;
  code: string;
  fullName: string;
}

const RECORDS: readonly TaxonomyCategoryRecord[] = CATEGORIES.map(([code, fullName], id) => ({ id, code, fullName }));
const BY_CODE = new Map(RECORDS.map((r) => [r.code, r]));

const parentCode = (code: string) => (code.includes('-') ? code.slice(0, code.lastIndexOf('-')) : null);

/** The category a GID names; undefined for another GID or a code the emulator's taxonomy lacks. */
export function taxonomyCategory(value: unknown): TaxonomyCategoryRecord | undefined {
  if (typeof value !== 'string' || !value.startsWith(TAXONOMY_GID_PREFIX)) return undefined;
  return BY_CODE.get(value.slice(TAXONOMY_GID_PREFIX.length));
}

/** Codes of the categories the generator hands out, by product type (leaves, as merchants pick them). */
export const CATEGORY_OF_TYPE: Readonly<Record<string, string>> = Object.freeze({
  Shirts: 'aa-1-13-7',
  Shoes: 'aa-8-8',
  Mugs: 'hg-11-10-5-5',
  Posters: 'hg-3-4-2',
  Bags: 'aa-5-4-13',
  Hats: 'aa-2-17',
  Candles: 'hg-3-10',
  Notebooks: 'os-4-6',
});

export class TaxonomyCategoryView {
  readonly __typename = 'TaxonomyCategory';
  constructor(private readonly record: TaxonomyCategoryRecord) {}
  get id() {
    return TAXONOMY_GID_PREFIX + this.record.code;
  }
  get fullName() {
    return this.record.fullName;
  }
  get name() {
    return this.record.fullName.split(' > ').pop()!;
  }
  get level() {
    return this.record.code.split('-').length;
  }
  get isRoot() {
    return !this.record.code.includes('-');
  }
  get isLeaf() {
    return this.childrenIds.length === 0;
  }
  get isArchived() {
    return false;
  }
  get parentId() {
    const parent = parentCode(this.record.code);
    return parent ? TAXONOMY_GID_PREFIX + parent : null;
  }
  get childrenIds() {
    return RECORDS.filter((r) => parentCode(r.code) === this.record.code).map((r) => TAXONOMY_GID_PREFIX + r.code);
  }
  get ancestorIds() {
    const out: string[] = [];
    for (let code = parentCode(this.record.code); code; code = parentCode(code)) out.push(TAXONOMY_GID_PREFIX + code);
    return out;
  }
}

/**
 * Shopify's `taxonomy { categories(...) }`: a search matches every word against the full name
 * (case-insensitive); childrenOf, siblingsOf and descendantsOf walk the tree; no argument lists the roots.
 */
export function taxonomyCategories(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
  let list: readonly TaxonomyCategoryRecord[];
  const code = (arg: unknown) => taxonomyCategory(arg)?.code ?? '\u0000';
  if (typeof args.search === 'string') {
    const words = args.search.toLowerCase().split(/\s+/).filter(Boolean);
    list = RECORDS.filter((r) => words.every((w) => r.fullName.toLowerCase().includes(w)));
  } else if (args.childrenOf) list = RECORDS.filter((r) => parentCode(r.code) === code(args.childrenOf));
  else if (args.siblingsOf) {
    const own = code(args.siblingsOf);
    list = RECORDS.filter((r) => r.code !== own && parentCode(r.code) === parentCode(own) && BY_CODE.has(own));
  } else if (args.descendantsOf) list = RECORDS.filter((r) => r.code.startsWith(`${code(args.descendantsOf)}-`));
  else list = RECORDS.filter((r) => !r.code.includes('-'));
  return connection(list, args, ctx, info, (r) => new TaxonomyCategoryView(r));
}
