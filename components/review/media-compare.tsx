import type { StagedChangeDetail } from '@/lib/dashboard/schemas';

/** What one side holds of an image: its URL, alt text and place (undefined: not changed by this change). */
export interface ImageSide {
  src: string | null;
  alt: string | null | undefined;
  position: number | null;
}

type Field = StagedChangeDetail['fields'][number];

/**
 * An image change's two sides from its fields, the values it does not change taken from the entity
 * (`context`: the URL Shopify serves it at). The side an image was removed from, or not yet added to, is null.
 */
export function imageSides(change: Pick<StagedChangeDetail, 'op' | 'kind' | 'fields'> & { context?: unknown }): {
  master: ImageSide | null;
  shopify: ImageSide | null;
} {
  const context = (change.context ?? {}) as Record<string, unknown>;
  const field = (name: string): Field | undefined => change.fields.find((f) => f.name === name);
  const side = (pick: (f: Field) => unknown): ImageSide => ({
    src: String(pick(field('src') ?? ({} as Field)) ?? context.url ?? '') || null,
    alt: (field('alt') ? pick(field('alt')!) : undefined) as string | null | undefined,
    position: (field('position') ? pick(field('position')!) : null) as number | null,
  });
  const master = side((f) => f.local);
  const shopify = side((f) => f.remote);
  const absentInMaster = change.op === 'delete' ? change.kind !== 'incoming' : change.op === 'create' && change.kind === 'incoming';
  const absentInShopify = change.op === 'delete' ? change.kind === 'incoming' : change.op === 'create' && change.kind !== 'incoming';
  return { master: absentInMaster ? null : master, shopify: absentInShopify ? null : shopify };
}

function Thumbnail({ side, label }: { side: ImageSide | null; label: string }) {
  return (
    <figure className="flex flex-col items-center gap-1 rounded border border-slate-200 p-2" data-testid={`image-${label.toLowerCase()}`}>
      <figcaption className="self-start text-xs font-semibold text-slate-500">{label}</figcaption>
      {side?.src ? (
        // biome-ignore lint/performance/noImgElement: thumbnails of any store's CDN or the emulator, not optimized assets of this app
        <img src={side.src} alt={side.alt ?? ''} width={96} height={96} className="h-24 w-24 rounded object-cover" loading="lazy" />
      ) : (
        <div className="flex h-24 w-24 items-center justify-center rounded bg-slate-100 text-xs text-slate-500">
          {side ? 'no picture' : 'not here'}
        </div>
      )}
      {side ? (
        <p className="w-full text-xs text-slate-700">
          {side.position !== null ? <span className="font-medium">#{side.position} · </span> : null}
          {side.alt ? <span>{side.alt}</span> : side.alt === null ? <span className="italic text-slate-400">no alt text</span> : null}
        </p>
      ) : null}
    </figure>
  );
}

/** An image change as two thumbnails side by side, Master | Shopify, each with its place and alt text. */
export function MediaCompare({ change }: { change: StagedChangeDetail }) {
  if (change.entity !== 'media') return null;
  const { master, shopify } = imageSides(change);
  return (
    <section aria-label="Image, master and Shopify" className="grid max-w-md grid-cols-2 gap-3" data-testid="media-compare">
      <Thumbnail side={master} label="Master" />
      <Thumbnail side={shopify} label="Shopify" />
    </section>
  );
}
