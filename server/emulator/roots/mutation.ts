import { bulkOperationCancel, bulkOperationRunMutation, bulkOperationRunQuery, stagedUploadsCreate } from '../mutations/bulk-operations';
import { collectionCreate } from '../mutations/collections';
import { inventoryAdjustQuantities, inventorySetQuantities } from '../mutations/inventory';
import { inventoryActivate, locationAdd } from '../mutations/locations';
import { fileUpdate, productReorderMedia } from '../mutations/media';
import { metafieldDefinitionCreate, metafieldsDelete, metafieldsSet } from '../mutations/metafields';
import { productOptionsReorder, productOptionUpdate } from '../mutations/options';
import { productSet } from '../mutations/product-set';
import { productDelete, productUpdate } from '../mutations/products';
import { productVariantsBulkUpdate } from '../mutations/variants';
import { productVariantsBulkCreate } from '../mutations/variants-create';
import { webhookSubscriptionCreate, webhookSubscriptionDelete } from '../mutations/webhooks';

/** The root mutation fields, each answered by its resource's module in mutations/: a new mutation adds its line here. */
export const mutationRoot = {
  productUpdate,
  productDelete,
  productSet,
  productVariantsBulkUpdate,
  productOptionUpdate,
  productOptionsReorder,
  fileUpdate,
  productReorderMedia,
  productVariantsBulkCreate,
  collectionCreate,
  metafieldsSet,
  metafieldsDelete,
  metafieldDefinitionCreate,
  inventorySetQuantities,
  inventoryAdjustQuantities,
  inventoryActivate,
  locationAdd,
  webhookSubscriptionCreate,
  webhookSubscriptionDelete,
  stagedUploadsCreate,
  bulkOperationRunQuery,
  bulkOperationRunMutation,
  bulkOperationCancel,
};
