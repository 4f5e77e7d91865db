import { z } from 'zod';
import type { Operation } from '../../../drizzle/schema';
import type { Executor } from '../../db/client';
import { resolveStore } from '../../stores/resolve';
import type { PullMode } from './pull';
import type { PullService } from './service';

/** The body of a pull request (POST /api/sync/shopify/pull and the seed's sync-down alias); they differ in the default mode. */
export const pullRequestBody = (defaultMode: PullMode) =>
  z.object({
    mode: z.enum(['full', 'incremental'], { message: 'mode must be "full" or "incremental"' }).default(defaultMode),
    storeId: z.uuid().optional(),
  });

/** Starts a pull of the named store (or the default one) as an operation and answers at once. */
export async function startPullRequest(
  db: Executor,
  pull: PullService,
  body: { mode: PullMode; storeId?: string },
  startedBy: string,
): Promise<Operation & { storeId: string }> {
  const store = await resolveStore(db, body.storeId);
  const { operation } = await pull.start(store.id, body.mode, startedBy);
  return { ...operation, storeId: store.id };
}
