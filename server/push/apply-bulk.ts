import type { BatchItem } from '../../drizzle/schema';
import { userErrorsText } from '../../lib/sync/field-errors';
import { incompleteCompanions, withCompanions } from '../../lib/sync/fields';
import type { FieldValues } from '../../lib/sync/model';
import { checkDrift, type ItemOutcome, type UnitResult } from './apply';
import type { ShopifyPort, WriteUserError } from './port';

/** Variants per productVariantsBulkUpdate line, Shopify's limit. */
const VARIANTS_PER_LINE = 250;

interface BulkLine {
  productId: string;
  items: BatchItem[];
}

/**
 * The bulk path for a bulk batch's variant updates: one drift-check read per 100 variants, then one
 * bulkOperationRunMutation with a line per product; answers map back to items by line number.
 * A retry re-reads first, so lines Shopify already applied are recognised as done, never written twice.
 */
export async function applyBulk(
  port: ShopifyPort,
  batchId: string,
  items: BatchItem[],
  onRun?: (lines: number, seconds: number) => void,
): Promise<UnitResult> {
  const current = await port.readVariants(items.map((i) => i.entityKey));
  const outcomes = new Map<string, ItemOutcome>();
  const byProduct = new Map<string, BatchItem[]>();
  const values = new Map<string, FieldValues>();
  for (const item of items) {
    const settled = checkDrift(item, current.get(item.entityKey) ?? null);
    const written = withCompanions('variant', item.target ?? {}, current.get(item.entityKey));
    const incomplete = settled ? null : incompleteCompanions('variant', written);
    if (settled) outcomes.set(item.id, settled);
    else if (incomplete) outcomes.set(item.id, { status: 'failed', error: incomplete });
    else {
      values.set(item.id, written);
      const key = item.productKey ?? item.entityKey;
      byProduct.set(key, [...(byProduct.get(key) ?? []), item]);
    }
  }
  const lines = linesOf(byProduct);
  if (lines.length === 0) return { outcomes };
  const started = Date.now();
  const answers = await port.bulkUpdateVariants(
    lines.map((l) => ({ productId: l.productId, variants: l.items.map((i) => ({ id: i.entityKey, values: values.get(i.id)! })) })),
    `batch-${batchId}`,
  );
  onRun?.(lines.length, (Date.now() - started) / 1000);
  lines.forEach((line, n) => {
    line.items.forEach((item, i) => {
      outcomes.set(item.id, lineOutcome(item, i, answers[n]));
    });
  });
  return { outcomes };
}

function linesOf(byProduct: Map<string, BatchItem[]>): BulkLine[] {
  return [...byProduct.entries()].flatMap(([productId, list]) => {
    const lines: BulkLine[] = [];
    for (let i = 0; i < list.length; i += VARIANTS_PER_LINE) lines.push({ productId, items: list.slice(i, i + VARIANTS_PER_LINE) });
    return lines;
  });
}

/** A line's answer for its `index`-th variant: the errors naming that variant (["variants", "2", "price"]), or all when none does. */
function lineOutcome(item: BatchItem, index: number, errors: WriteUserError[] | null | undefined): ItemOutcome {
  if (errors === null || errors === undefined) return { status: 'failed', error: 'The bulk operation gave no answer for this line' };
  const own = errors.filter((e) => e.field?.[0] === 'variants' && e.field[1] === String(index));
  if (errors.length) return { status: 'failed', error: userErrorsText(item.entity, own.length ? own : errors) };
  return { status: 'applied', after: item.target };
}
