import { parseArgs } from 'node:util';
import { startEmulator } from './index';
import { checkShopDomain } from './options';
import { PLAN_LIMITS, type Plan } from './throttle';

/**
 * `npm run emulator -- --port 4010 --products 1000 --seed 1 [--depth full|basic] --plan standard --shop my-store.myshopify.com
 * --token T --webhook-secret S [--state-file F]` (`--depth basic`: no metafields, no images; with a state file the catalog
 * outlives a restart).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      products: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'id-offset': { type: 'string', default: '0' },
      depth: { type: 'string', default: 'full' },
      plan: { type: 'string', default: 'standard' },
      shop: { type: 'string' },
      token: { type: 'string' },
      'merchant-token': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      'state-file': { type: 'string' },
    },
  });
  const number = (name: string, raw: string | undefined): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number >= 0 (got ${raw})`);
    return n;
  };
  if (values.depth !== 'full' && values.depth !== 'basic') throw new Error(`--depth must be full or basic (got ${values.depth})`);
  if (!(values.plan! in PLAN_LIMITS)) throw new Error(`--plan must be one of ${Object.keys(PLAN_LIMITS).join(', ')}`);
  const emulator = await startEmulator({
    port: number('port', values.port),
    host: values.host,
    products: number('products', values.products),
    seed: number('seed', values.seed),
    idOffset: number('id-offset', values['id-offset']),
    depth: values.depth,
    plan: values.plan as Plan,
    shopDomain: values.shop === undefined ? undefined : checkShopDomain(values.shop, '--shop'),
    accessToken: values.token,
    merchantToken: values['merchant-token'],
    webhookSecret: values['webhook-secret'],
    timeScale: Number(values['time-scale']),
    stateFile: values['state-file'],
  });
  console.log(`Shopify emulator listening on ${emulator.url}`);
  console.log(`  Admin API: ${emulator.adminUrl} (X-Shopify-Access-Token: ${emulator.accessToken})`);
  console.log(
    `  Shop: ${emulator.shopDomain}, ${emulator.state.products.size} products` +
      `${emulator.restored ? ' (restored from the state file)' : ''}, plan ${values.plan}`,
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`emulator: ${(err as Error).message}`);
  process.exit(1);
});
