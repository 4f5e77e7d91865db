/**
 * `npm run demo`: the Shopify emulator (in this process, seeded catalog), the app server on the
 * embedded database with demo users, and a first pull when the master is empty. One process tree;
 * Ctrl-C stops everything. The emulator's catalog is kept beside the master, in
 * DATA_DIR/emulator-state.json, so a restarted demo is the same shop as the master it kept.
 * Options by env: PORT (app, default 3000), EMULATOR_PORT (default 4010), DEMO_PRODUCTS (default
 * 1000), DATA_DIR (default .data), DEMO_SHOP (the shop the emulator is and the app is set up for).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EMULATOR_SHOP_DOMAIN, type Emulator, startEmulator } from '../server/emulator';

const root = process.cwd();
const appPort = Number(process.env.PORT ?? 3000);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4010);
const products = Number(process.env.DEMO_PRODUCTS ?? 1000);
const shop = process.env.DEMO_SHOP || EMULATOR_SHOP_DOMAIN;
const dataDir = path.resolve(root, process.env.DATA_DIR || '.data');
const stateFile = path.join(dataDir, 'emulator-state.json');
const storeCount = Number(parseArgs({ options: { stores: { type: 'string', default: '1' } }, strict: false }).values.stores);
if (!Number.isInteger(storeCount) || storeCount < 1 || storeCount > 5) throw new Error('--stores must be a whole number from 1 to 5');
const children: ChildProcess[] = [];
let emulator: Emulator | null = null;
/** The emulators of the other stores (--stores 2 and more). */
const others: Emulator[] = [];
let stopping = false;

function run(command: string, args: string[], env: NodeJS.ProcessEnv, label: string, quiet = false): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = (chunk: Buffer) =>
    `${chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${label}] ${l}`)
      .join('\n')}\n`;
  if (!quiet) child.stdout!.on('data', (d: Buffer) => process.stdout.write(prefix(d)));
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(prefix(d)));
  child.once('exit', (code, signal) => {
    if (!stopping && label !== 'build') {
      console.error(`[demo] ${label} exited (${signal ?? code}); stopping`);
      void stop(1);
    }
  });
  return child;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs / 1000} s`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

async function stop(code = 0): Promise<never> {
  stopping = true;
  for (const child of [...children].reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }, 10_000);
  await Promise.all(children.map(exitOf));
  clearTimeout(timer);
  await emulator?.close().catch(() => {});
  for (const other of others) await other.close().catch(() => {});
  process.exit(code);
}

/**
 * Signs in as the demo admin and brings the master and the emulator together. An empty master
 * adopts the catalog (a full pull). A kept master beside the emulator's kept catalog catches up
 * with an incremental pull (edits made just before the last stop). A kept master beside a freshly
 * seeded emulator (no state file: it was deleted, or made by an older demo) is compared with it by
 * a full pull, which stages every difference for review rather than showing them as synced.
 */
async function catchUp(baseUrl: string, restored: boolean): Promise<void> {
  const session = await fetch(`${baseUrl}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ demoUser: 'demo-admin' }),
  });
  if (!session.ok) throw new Error(`demo sign-in failed: ${session.status} ${await session.text()}`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const list = await fetch(`${baseUrl}/api/products?limit=1`, { headers: { cookie } });
  const body = (await list.json()) as { total?: number; items?: unknown[] };
  const kept = (body.total ?? body.items?.length ?? 0) > 0;
  if (kept && restored) {
    console.log(`[demo] the master already has products, and the emulator its catalog from ${stateFile}: an incremental pull catches up`);
  } else if (kept) {
    console.log(
      "[demo] the master already has products, but the emulator's catalog was not kept with it (a fresh seed): " +
        'a full pull compares the two and stages every difference for review',
    );
  }
  const mode = kept && restored ? 'incremental' : 'full';
  const pull = await fetch(`${baseUrl}/api/sync/shopify/pull`, {
    method: 'POST',
    headers: { cookie, origin: baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  if (!pull.ok) throw new Error(`the ${mode} pull was refused: ${pull.status} ${await pull.text()}`);
  const { operationId } = (await pull.json()) as { operationId: string };
  console.log(`[demo] ${kept ? mode : 'first full'} pull started (operation ${operationId}); watch it on the Operations page`);
  for (const other of others) await connectOther(baseUrl, cookie, other);
}

/** Another store: connected through Settings' API (its connection tested), then pulled (full when new, else incremental). */
async function connectOther(baseUrl: string, cookie: string, other: Emulator): Promise<void> {
  const headers = { cookie, origin: baseUrl, 'content-type': 'application/json' };
  const connect = await fetch(`${baseUrl}/api/stores`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: other.shopDomain.replace(/\.myshopify\.com$/, ''),
      shopDomain: other.shopDomain,
      adminUrl: other.url,
      accessToken: other.accessToken,
      webhookSecret: other.webhookSecret,
    }),
  });
  if (!connect.ok && connect.status !== 409)
    throw new Error(`connecting ${other.shopDomain} failed: ${connect.status} ${await connect.text()}`);
  const list = (await (await fetch(`${baseUrl}/api/stores`, { headers: { cookie } })).json()) as {
    items: Array<{ id: string; shopDomain: string }>;
  };
  const store = list.items.find((s) => s.shopDomain === other.shopDomain);
  if (!store) throw new Error(`${other.shopDomain} is not listed after connecting it`);
  const mode = connect.status === 409 && other.restored ? 'incremental' : 'full';
  const pull = await fetch(`${baseUrl}/api/sync/shopify/pull`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ mode, storeId: store.id }),
  });
  if (!pull.ok) throw new Error(`the pull of ${other.shopDomain} was refused: ${pull.status} ${await pull.text()}`);
  console.log(`[demo] ${other.shopDomain} connected (${mode} pull started) on ${other.url}`);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGHUP', () => void stop(0));
  // However the demo ends (an error, an exit without stop()), it does not leave the app running.
  process.once('exit', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  mkdirSync(dataDir, { recursive: true });
  emulator = await startEmulator({
    port: emulatorPort,
    host: '127.0.0.1',
    products,
    seed: 1,
    shopDomain: shop,
    accessToken: 'demo-admin-token',
    webhookSecret: 'demo-webhook-secret',
    stateFile,
  });
  console.log(
    emulator.restored
      ? `[demo] the Shopify emulator (${emulator.shopDomain}) on port ${emulatorPort} with its catalog from ${stateFile}`
      : `[demo] the Shopify emulator (${emulator.shopDomain}) on port ${emulatorPort} with ${products} products (seed 1)`,
  );

  for (let i = 2; i <= storeCount; i++) {
    others.push(
      await startEmulator({
        port: emulatorPort + i - 1,
        host: '127.0.0.1',
        // The same catalog under other ids, with a few products this store alone sells.
        products: products + 3 * (i - 1),
        seed: 1,
        idOffset: (i - 1) * 50_000_000,
        shopDomain: `demo-store-${i}.myshopify.com`,
        accessToken: `demo-admin-token-${i}`,
        webhookSecret: `demo-webhook-secret-${i}`,
        stateFile: path.join(dataDir, `emulator-state-${i}.json`),
      }),
    );
    console.log(`[demo] store ${i}: the Shopify emulator (demo-store-${i}.myshopify.com) on port ${emulatorPort + i - 1}`);
  }

  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    console.log('[demo] no production build yet: building the app (a few minutes, once)');
    const build = run(npm, ['run', '--silent', 'build'], process.env, 'build', true);
    if ((await exitOf(build)) !== 0) throw new Error('the build failed; run `npm run build` to see why');
  }

  const baseUrl = `http://localhost:${appPort}`;
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DEV_AUTH: 'true',
    DEV_AUTH_ALLOW_PRODUCTION: 'true',
    PORT: String(appPort),
    DATA_DIR: dataDir,
    SHOPIFY_SHOP: emulator.shopDomain,
    SHOPIFY_ACCESS_TOKEN: emulator.accessToken,
    SHOPIFY_ADMIN_URL: emulator.adminUrl,
    SHOPIFY_WEBHOOK_SECRET: emulator.webhookSecret,
    PUBLIC_URL: baseUrl,
  };
  console.log(`[demo] starting the app server (embedded database under ${dataDir} unless DATABASE_URL is set)`);
  // node itself with tsx's loader, not the tsx binary (a wrapper that runs the server as a grandchild):
  // the signal the demo sends on stop reaches the server directly.
  run(process.execPath, ['--import', 'tsx', 'server.ts'], appEnv, 'app');
  await waitForPort(appPort, 120_000);
  await catchUp(baseUrl, emulator.restored);

  console.log(`
  Catalog Sync Desk is running: ${baseUrl}
  Sign in with a demo user:
    merchandiser  reviews and approves changes, edits products
    admin         also pulls and pushes, sets auto-approval rules
    support       rolls batches back
  Shopify emulator: ${emulator.url} (shop ${emulator.shopDomain})${others.map((o) => `\n  Shopify emulator: ${o.url} (shop ${o.shopDomain})`).join('')}
  Press Ctrl-C to stop.
`);
}

main().catch((err: Error) => {
  console.error(`[demo] ${err.message}`);
  void stop(1);
});
