import { z } from 'zod';
import type { FieldValues } from '../../lib/sync/model';
import { pageParams } from '../db/keyset';

/** A page of a store's catalog entities matching a search. */
export const catalogListQuery = z.object({
  storeId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  ...pageParams(),
});

/** A catalog_entities row as the list plans select it: the three documents and the entity's meta. */
export interface EntityRow extends Record<string, unknown> {
  id: string;
  store_id: string;
  key: string;
  local: FieldValues | null;
  remote: FieldValues | null;
  base: FieldValues | null;
  meta: Record<string, unknown>;
}
