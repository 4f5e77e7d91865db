import type { EmulatorContext } from '../context';
import { parseGid } from '../state';

/** A mutation's `userErrors` entry: the input path it is about, a message, Shopify's code where it sends one. */
export interface UserError {
  field: Array<string> | null;
  message: string;
  code?: string;
}

/** Records an applied write in the mutation log (GET /__emulator/mutations), as the caller made it. */
export function logWrite(ctx: EmulatorContext, mutation: string, target: string[], input: unknown, idempotencyKey: string | null = null) {
  ctx.core.log({ mutation, actor: ctx.actor, token: ctx.token, idempotencyKey, target, input });
}

/** The ids of the records a list of gids names, and the gids that name none. */
export function resolveIds(records: ReadonlyMap<number, unknown>, raws: unknown, type: string): { ids: number[]; missing: string[] } {
  const ids: number[] = [];
  const missing: string[] = [];
  for (const raw of (raws as string[] | undefined) ?? []) {
    const ref = parseGid(raw, type);
    if (ref && records.has(ref.id)) ids.push(ref.id);
    else missing.push(raw);
  }
  return { ids, missing };
}
