import { matchOptions, normalizeOptions, type ProductOption } from '../sync/options';
import type { ShopifyTransport } from './client';
import { productOptionIdsQuery, productOptionsReorderMutation, productOptionUpdateMutation } from './documents';
import { assertNoUserErrors, ShopifyUserError, type ShopifyUserErrorEntry } from './errors';

/** Shopify's limit on an input array (writes.ts's MAX_INPUT_ITEMS; not imported from there, which imports this module). */
const MAX_INPUT_ITEMS = 250;

type RawOption = { id: string; name: string; position: number; optionValues: Array<{ id: string; name: string }> };
type Payload = { userErrors: Array<Partial<ShopifyUserErrorEntry>> };

/** Shopify's userErrors of an options mutation, each pointed at the synced field `options` (so the review names it). */
function assertOptionsWritten(operation: string, payload: Payload): void {
  assertNoUserErrors(operation, { userErrors: payload.userErrors.map((e) => ({ ...e, field: ['options'] })) });
}

/**
 * Makes a product's options what `target` names (lib/sync/options.ts): re-reads them with their
 * ids, matches each target option and value to the one it renames or moves, then one
 * productOptionUpdate per option whose name or values change and one productOptionsReorder when
 * the order of options or values changes. Renames go first, by id, so the reorder names nothing
 * twice; Shopify renames the values in every variant and moves the variants with the reorder.
 * Like the other product fields, there is no compare-and-set: the push's drift check has just
 * compared the names with what the reviewer approved against, and this read follows it at once.
 */
export async function updateProductOptions(t: ShopifyTransport, productId: string, target: readonly ProductOption[]): Promise<void> {
  const { data } = await t.request<{ product: { options: RawOption[] } | null }>(productOptionIdsQuery, { id: productId });
  if (!data.product)
    throw new ShopifyUserError('productOptionUpdate', [{ field: ['productId'], code: null, message: 'Product does not exist' }]);
  const raw = [...data.product.options].sort((a, b) => a.position - b.position);
  const current = normalizeOptions(raw);
  // A product without options reads as none: only Shopify's default option, which is left alone.
  if (current.length === 0 && target.length === 0) return;
  const match = matchOptions(current, target);
  if (!match.ok)
    throw new ShopifyUserError('productOptionUpdate', [{ field: ['options'], code: null, message: `The target ${match.message}` }]);

  for (const o of match.options) {
    const was = raw[o.from]!;
    const renames = o.values.flatMap((v) => {
      const value = was.optionValues[v.from]!;
      return value.name === v.name ? [] : [{ id: value.id, name: v.name }];
    });
    if (was.name === o.name && renames.length === 0) continue;
    // Input arrays hold at most 250 items: the option's name goes with the first call.
    for (let at = 0; at === 0 || at < renames.length; at += MAX_INPUT_ITEMS) {
      const option = { id: was.id, ...(was.name === o.name || at > 0 ? {} : { name: o.name }) };
      const chunk = renames.slice(at, at + MAX_INPUT_ITEMS);
      const { data: answer } = await t.request<{ productOptionUpdate: Payload }>(productOptionUpdateMutation, {
        productId,
        option,
        optionValuesToUpdate: chunk.length ? chunk : null,
      });
      assertOptionsWritten('productOptionUpdate', answer.productOptionUpdate);
    }
  }
  const moved = match.options.some((o, i) => o.from !== i || o.values.some((v, j) => v.from !== j));
  if (moved) {
    const options = match.options.map((o) => {
      const was = raw[o.from]!;
      return { id: was.id, values: o.values.map((v) => ({ id: was.optionValues[v.from]!.id })) };
    });
    const { data: answer } = await t.request<{ productOptionsReorder: Payload }>(productOptionsReorderMutation, { productId, options });
    assertOptionsWritten('productOptionsReorder', answer.productOptionsReorder);
  }
}
