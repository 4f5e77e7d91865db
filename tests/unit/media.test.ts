import { describe, expect, it } from 'vitest';
import { mediaMoves } from '../../lib/shopify/media-writes';
import { classifyEntity } from '../../lib/sync/classify';
import { mediaWrites } from '../../server/ingest/media-edits';
import { wantedOrder } from '../../server/push/apply-media';

/** The pure parts of product images: renumbering the master's edits, the push's order and moves, and who owns an image's URL. */
const P = 'gid://shopify/Product/1';
const image = (n: number, alt: string | null = null) => ({
  key: `${P}|gid://shopify/MediaImage/${n}`,
  local: { src: `https://cdn.example.com/${n}.png`, position: n, alt },
});

describe('image edits in the master', () => {
  it('renumbers the whole list after a move, writing only the images whose number changed', () => {
    const { writes, problems } = mediaWrites(P, [image(1), image(2), image(3)], [{ id: image(3).key, position: 1 }]);
    expect(problems).toEqual([]);
    expect(writes.map((w) => `${w.key.split('/').pop()} ${JSON.stringify(w.values)}`)).toEqual([
      '3 {"position":1}',
      '1 {"position":2}',
      '2 {"position":3}',
    ]);
  });

  it('removes, adds at the end, and closes the gap a removal leaves', () => {
    const { writes } = mediaWrites(
      P,
      [image(1), image(2), image(3)],
      [{ id: image(1).key, remove: true }, { src: 'https://x.example/new.png' }],
    );
    expect(
      writes.map((w) => `${w.op ?? 'update'} ${w.key.includes('local:') ? 'new' : w.key.split('/').pop()} ${w.values.position ?? ''}`),
    ).toEqual(['delete 1 ', 'update 2 1', 'update 3 2', 'create new 3']);
  });

  it('names an image that is not the product’s as a problem', () => {
    expect(mediaWrites(P, [image(1)], [{ id: 'gid://shopify/MediaImage/9', alt: 'x' }]).problems).toEqual([
      { path: 'media.0.id', message: 'is not an image of this product' },
    ]);
  });
});

describe('the push’s image order', () => {
  it('puts each positioned image at its place and keeps the others in order around them', () => {
    expect(wantedOrder(['a', 'b', 'c', 'd'], new Map([['d', 1]]))).toEqual(['d', 'a', 'b', 'c']);
    expect(
      wantedOrder(
        ['a', 'b', 'c'],
        new Map([
          ['a', 3],
          ['c', 1],
        ]),
      ),
    ).toEqual(['c', 'b', 'a']);
  });

  it('sends only the moves that change the order, each evaluated after the ones before it', () => {
    expect(mediaMoves(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual([]);
    expect(mediaMoves(['a', 'b', 'c'], ['c', 'a', 'b'])).toEqual([{ id: 'c', newPosition: 0 }]);
    expect(mediaMoves(['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'])).toEqual([
      { id: 'd', newPosition: 0 },
      { id: 'c', newPosition: 1 },
      { id: 'b', newPosition: 2 },
    ]);
  });
});

describe('an image’s URL', () => {
  it('follows Shopify without a review when Shopify re-hosts it; alt text still stages', () => {
    const base = { src: 'https://images.example.com/a.png', position: 1, alt: null };
    const remote = { src: 'https://cdn.shopify.com/s/files/a.png', position: 1, alt: 'Front' };
    const result = classifyEntity('media', { local: base, base, remote });
    expect(result.changes).toEqual([
      { kind: 'incoming', op: 'update', fields: [{ name: 'alt', base: null, local: null, remote: 'Front' }] },
    ]);
    expect(result.base).toMatchObject({ src: remote.src });
    expect(result.local).toMatchObject({ src: remote.src });
  });
});
