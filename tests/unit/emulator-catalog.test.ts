import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../server/emulator/generator';
import { matchesSearch, parseSearch } from '../../server/emulator/search';
import { ShopState } from '../../server/emulator/state';

function snapshot(products: number, seed: number) {
  const state = new ShopState();
  generateCatalog(state, { products, seed });
  return state;
}

describe('catalog generator', () => {
  it('is deterministic for the same products and seed, and differs for another seed', () => {
    const a = snapshot(200, 1);
    const b = snapshot(200, 1);
    const c = snapshot(200, 2);
    const shape = (s: ShopState) => [...s.products.values()].map((p) => [p.id, p.title, p.variantIds.map((v) => s.variants.get(v)!.price)]);
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a)).not.toEqual(shape(c));
  });

  it('generates the same catalog without metafields and images at depth basic', () => {
    const full = snapshot(60, 3);
    const basic = new ShopState();
    generateCatalog(basic, { products: 60, seed: 3, depth: 'basic' });
    const products = (s: ShopState) => [...s.products.values()];
    expect(products(full).filter((p) => p.metafields?.size).length).toBe(30);
    expect(full.media.size).toBeGreaterThanOrEqual(60);
    expect(products(basic).some((p) => p.metafields?.size || p.mediaIds?.length)).toBe(false);
    expect(basic.media.size).toBe(0);
    const shape = (s: ShopState) =>
      products(s).map((p) => [p.id, p.title, p.options, p.category, p.variantIds.map((v) => s.variants.get(v)!.price)]);
    expect(shape(basic)).toEqual(shape(full));
  });

  it('has the variety the sync must cope with', () => {
    const s = snapshot(1000, 1);
    const products = [...s.products.values()];
    const variants = [...s.variants.values()];
    const items = [...s.inventoryItems.values()];
    expect(products.some((p) => /\p{Extended_Pictographic}/u.test(p.title))).toBe(true);
    expect(products.some((p) => p.title.length > 150)).toBe(true);
    expect(products.some((p) => p.descriptionHtml.includes('<strong>'))).toBe(true);
    expect(products.some((p) => p.options.length === 3)).toBe(true);
    expect(new Set(products.map((p) => p.vendor)).size).toBeGreaterThan(4);
    expect(new Set(products.map((p) => p.status)).size).toBe(3);
    expect(variants.some((v) => v.barcode === null)).toBe(true);
    expect(items.some((i) => i.levels.size >= 3)).toBe(true);
    expect([...s.locations.values()].filter((l) => l.isActive).length).toBeGreaterThanOrEqual(3);
    expect([...s.collections.values()].every((c) => c.productIds.size > 0)).toBe(true);
    expect(new Set(products.map((p) => p.handle)).size).toBe(products.length);
  });
});

describe('search syntax', () => {
  const fields = {
    title: (x: { title: string }) => x.title,
    vendor: (x: { vendor: string }) => x.vendor,
    updated_at: (x: { updated: string }) => x.updated,
  };
  const item = { title: 'Blue Mug', vendor: 'Acme Co', updated: '2026-11-02T00:00:00Z' };
  const hit = (q: string) => matchesSearch(item as never, parseSearch(q), fields as never, 'title');

  it('handles quoted values, comparators, AND, OR, NOT and bare words', () => {
    expect(hit(`vendor:'Acme Co'`)).toBe(true);
    expect(hit(`updated_at:>'2026-11-01T00:00:00Z'`)).toBe(true);
    expect(hit(`updated_at:<2026-11-01`)).toBe(false);
    expect(hit(`mug AND vendor:'Acme Co'`)).toBe(true);
    expect(hit(`vendor:Other OR title:'Blue Mug'`)).toBe(true);
    expect(hit(`-vendor:'Acme Co'`)).toBe(false);
    expect(hit(`NOT mug`)).toBe(false);
    expect(hit(`title:Blue*`)).toBe(true);
  });
});
