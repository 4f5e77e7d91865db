import type { ShopifyTransport } from './client';
import { fileUpdateMutation, jobQuery, productAddMediaMutation, productReorderMediaMutation } from './documents';
import { assertNoUserErrors, ShopifyRequestError, type ShopifyUserErrorEntry } from './errors';
import { type Connection, nodesOf, type RawMedia, reshapeMedia } from './reshape';
import type { ShopifyMedia } from './types';

/**
 * Writes of a product's media (documents/media.ts says which 2026-10 mutations and why). Each verb
 * throws ShopifyUserError for Shopify's userErrors, like the other writes.
 */

type Payload = { userErrors?: Array<Partial<ShopifyUserErrorEntry>> | null };

/** Alt text of media, by media id (fileUpdate). */
export async function updateMediaAlt(t: ShopifyTransport, media: ReadonlyArray<{ id: string; alt: string | null }>): Promise<void> {
  if (media.length === 0) return;
  const files = media.map((m) => ({ id: m.id, alt: m.alt ?? '' }));
  const { data } = await t.request<{ fileUpdate: Payload }>(fileUpdateMutation, { files });
  assertNoUserErrors('fileUpdate', data.fileUpdate);
}

/** Detaches media from a product (fileUpdate referencesToRemove); the files stay in the store's Files. */
export async function detachMedia(t: ShopifyTransport, productId: string, mediaIds: readonly string[]): Promise<void> {
  if (mediaIds.length === 0) return;
  const files = mediaIds.map((id) => ({ id, referencesToRemove: [productId] }));
  const { data } = await t.request<{ fileUpdate: Payload }>(fileUpdateMutation, { files });
  assertNoUserErrors('fileUpdate', data.fileUpdate);
}

/** Attaches existing files to a product again (fileUpdate referencesToAdd): they join the end of its media. */
export async function attachMedia(t: ShopifyTransport, productId: string, mediaIds: readonly string[]): Promise<void> {
  if (mediaIds.length === 0) return;
  const files = mediaIds.map((id) => ({ id, referencesToAdd: [productId] }));
  const { data } = await t.request<{ fileUpdate: Payload }>(fileUpdateMutation, { files });
  assertNoUserErrors('fileUpdate', data.fileUpdate);
}

/**
 * Adds images by URL (productUpdate media:); Shopify appends them to the product's media. Answers
 * the new media in the order sent: the last `media.length` of the product's list.
 */
export async function addMedia(
  t: ShopifyTransport,
  productId: string,
  media: ReadonlyArray<{ src: string; alt: string | null }>,
): Promise<ShopifyMedia[]> {
  if (media.length === 0) return [];
  const input = media.map((m) => ({ originalSource: m.src, alt: m.alt ?? '', mediaContentType: 'IMAGE' }));
  const { data } = await t.request<{ productUpdate: Payload & { product: { id: string; media: Connection<RawMedia> } | null } }>(
    productAddMediaMutation,
    { product: { id: productId }, media: input, last: media.length },
  );
  assertNoUserErrors('productUpdate', data.productUpdate);
  const added = nodesOf(data.productUpdate.product?.media);
  // Positions are not known from a `last` page; the caller's targets hold them.
  return added.map((raw, i) => reshapeMedia(raw, productId, i + 1));
}

/** Polls of a reorder job before giving up (Shopify finishes small reorders within a second or two). */
const JOB_POLLS = 30;
const JOB_POLL_MS = 500;

/**
 * Moves media within a product (productReorderMedia: each move's newPosition is 0-based and applies
 * after the moves before it) and waits for the job to finish, so a re-read sees the new order.
 */
export async function reorderMedia(
  t: ShopifyTransport,
  productId: string,
  moves: ReadonlyArray<{ id: string; newPosition: number }>,
): Promise<void> {
  if (moves.length === 0) return;
  const { data } = await t.request<{
    productReorderMedia: { job: { id: string; done: boolean } | null; mediaUserErrors: Array<Partial<ShopifyUserErrorEntry>> };
  }>(productReorderMediaMutation, { id: productId, moves: moves.map((m) => ({ id: m.id, newPosition: String(m.newPosition) })) });
  assertNoUserErrors('productReorderMedia', { userErrors: data.productReorderMedia.mediaUserErrors });
  let job = data.productReorderMedia.job;
  for (let polls = 0; job && !job.done; polls++) {
    if (polls === JOB_POLLS) {
      throw new ShopifyRequestError(`productReorderMedia job ${job.id} did not finish in time`, { retryable: true });
    }
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    job = (await t.request<{ job: { id: string; done: boolean } | null }>(jobQuery, { id: job.id })).data.job;
  }
}

/**
 * The moves that turn `current` (media ids in Shopify's order) into `wanted` (the same ids in the
 * wanted order): each move puts the id due at index i there, simulated so only real moves are sent.
 */
export function mediaMoves(current: readonly string[], wanted: readonly string[]): Array<{ id: string; newPosition: number }> {
  const order = [...current];
  const moves: Array<{ id: string; newPosition: number }> = [];
  wanted.forEach((id, i) => {
    const at = order.indexOf(id);
    if (at === -1 || at === i) return;
    order.splice(at, 1);
    order.splice(i, 0, id);
    moves.push({ id, newPosition: i });
  });
  return moves;
}
