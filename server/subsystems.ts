import type { Runtime } from './runtime';
import { startPush } from './push/subsystem';
import { startStagingSubsystem } from './staging/subsystem';
import { forgetStoreLookups } from './stores/lookup';
import { upsertEnvStore } from './stores/stores';

/**
 * Starts what runs in the background of an app process (workers, schedules, leases).
 * Each subsystem registers its own closer with runtime.onStop.
 */
export async function startSubsystems(runtime: Runtime): Promise<void> {
  const store = await upsertEnvStore(runtime.db, runtime.config);
  forgetStoreLookups(runtime);
  if (store) runtime.logger.info({ storeId: store.id, shop: store.shopDomain }, 'store from environment');
  await startStagingSubsystem(runtime);
  await startPush(runtime);
}
