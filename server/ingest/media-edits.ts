import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { entityKeys, fieldSpec } from '../../lib/sync/fields';
import type { FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { LocalWrite } from './edits';

/**
 * Image edits of one product in the master (PATCH /api/products/:id `media`, the CSV's image rows):
 * change alt text, move, add by URL, remove. Positions are the master's numbering of the whole list:
 * after the edits every image is renumbered 1..n (a move or a removal shifts the others), and each
 * image whose number changed gets a write, so the push can put Shopify in exactly that order.
 */

const spec = (name: string) => fieldSpec('media', name)!.schema;
/** A place in the list: the field list's validation, typed. */
const positionSchema = spec('position') as z.ZodType<number>;

export const mediaEditSchema = z
  .array(
    z
      .strictObject({
        /** The image: its catalog id, its Shopify media GID or its catalog key. Absent: a new image, added from `src`. */
        id: z.string().trim().min(1).max(300).optional(),
        src: spec('src').optional(),
        alt: spec('alt').optional(),
        position: positionSchema.optional(),
        remove: z.literal(true).optional(),
      })
      .superRefine((m, ctx) => {
        if (m.id === undefined && m.src === undefined)
          ctx.addIssue({ code: 'custom', message: 'name an image (id) or give a URL to add (src)' });
        if (m.id !== undefined && m.src !== undefined)
          ctx.addIssue({ code: 'custom', path: ['src'], message: "an image's URL cannot be changed: remove it and add the new one" });
        if (m.remove && (m.alt !== undefined || m.position !== undefined))
          ctx.addIssue({ code: 'custom', path: ['remove'], message: 'an image being removed takes no other change' });
      }),
  )
  .max(250);
export type MediaEdit = z.infer<typeof mediaEditSchema>;

interface MediaRow extends Record<string, unknown> {
  id: string;
  key: string;
  local: FieldValues | null;
}

/** An image of the master: its catalog key (and row id), and its document. */
export interface MasterImage {
  key: string;
  id?: string;
  local: FieldValues;
}

/** The local writes of a product's image edits, and the problems found (by `path`). */
export async function planMediaEdit(
  db: Executor,
  storeId: string,
  productKey: string,
  edits: MediaEdit,
  path = 'media',
): Promise<{ writes: LocalWrite[]; problems: Array<{ path: string; message: string }> }> {
  const rows = await queryRows<MediaRow>(
    db,
    sql`select id::text as id, key, local from catalog_entities
        where store_id = ${storeId} and entity = 'media' and product_key = ${productKey} and local is not null`,
  );
  return mediaWrites(
    productKey,
    rows.map((r) => ({ key: r.key, id: r.id, local: r.local! })),
    edits,
    path,
  );
}

/** The writes of image edits against the product's images in the master (see the top of the file). */
export function mediaWrites(
  productKey: string,
  images: readonly MasterImage[],
  edits: MediaEdit,
  path = 'media',
): { writes: LocalWrite[]; problems: Array<{ path: string; message: string }> } {
  const problems: Array<{ path: string; message: string }> = [];
  type Entry = { key: string; id?: string; doc: FieldValues; was: FieldValues | null; asked?: number; removed?: boolean; rank: number };
  const entries: Entry[] = images
    .map((r) => ({ key: r.key, id: r.id, doc: { ...r.local }, was: r.local, rank: Number(r.local.position ?? 0) }))
    .sort((a, b) => a.rank - b.rank);
  for (const [i, edit] of edits.entries()) {
    if (edit.id === undefined) {
      const doc = { src: edit.src ?? null, alt: edit.alt ?? null, position: null };
      entries.push({ key: entityKeys.media(productKey, `local:${randomUUID()}`), doc, was: null, asked: edit.position, rank: Infinity });
      continue;
    }
    const ref = edit.id;
    const entry = entries.find((e) => e.key === ref || entityKeys.split(e.key)[1] === ref || e.id === ref);
    if (!entry) {
      problems.push({ path: `${path}.${i}.id`, message: 'is not an image of this product' });
      continue;
    }
    if (edit.remove) entry.removed = true;
    if (edit.alt !== undefined) entry.doc.alt = edit.alt;
    if (edit.position !== undefined) entry.asked = edit.position;
  }
  const kept = entries.filter((e) => !e.removed);
  // Asked-for places first at their number, the others after them at theirs, new ones last.
  const order = kept
    .map((e, i) => ({ e, i, at: e.asked ?? e.rank, asked: e.asked !== undefined ? 0 : 1 }))
    .sort((a, b) => a.at - b.at || a.asked - b.asked || a.i - b.i);
  const writes: LocalWrite[] = entries
    .filter((e) => e.removed)
    .map((e) => ({ entity: 'media' as const, key: e.key, values: {}, op: 'delete' as const }));
  order.forEach(({ e }, i) => {
    e.doc.position = i + 1;
    if (!e.was) {
      writes.push({ entity: 'media', key: e.key, values: e.doc, op: 'create' });
      return;
    }
    const values: FieldValues = {};
    for (const name of ['alt', 'position'] as const) if (e.doc[name] !== e.was[name]) values[name] = e.doc[name];
    if (Object.keys(values).length) writes.push({ entity: 'media', key: e.key, values });
  });
  return { writes, problems };
}
