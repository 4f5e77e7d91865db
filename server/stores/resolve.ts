import type { Store } from '../../drizzle/schema';
import type { Executor } from '../db/client';
import { defaultStore, getStore } from './stores';

/** The store a request names, or the default one. */
export async function resolveStore(db: Executor, storeId?: string | null): Promise<Store> {
  return storeId ? getStore(db, storeId) : defaultStore(db);
}
