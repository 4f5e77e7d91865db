/**
 * `npm run demo`: the Shopify emulator (in this process, seeded catalog), the app server on the
 * embedded database with demo users, and a first pull when the master is empty. One process tree;
 * Ctrl-C stops everything. Options by env: PORT (app, default 3000), EMULATOR_PORT (default 4010),
 * DEMO_PRODUCTS (default 1000), DATA_DIR (default .data).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { type Emulator, startEmulator } from '../server/emulator';

const root = process.cwd();
const appPort = Number(process.env.PORT ?? 3000);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4010);
const products = Number(process.env.DEMO_PRODUCTS ?? 1000);
const children: ChildProcess[] = [];
let emulator: Emulator | null = null;
let stopping = false;

function run(command: string, args: string[], env: NodeJS.ProcessEnv, label: string, quiet = false): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${label}] ${l}`)
      .join('\n') + '\n';
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
  const timer = setTimeout(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')), 10_000);
  await Promise.all(children.map(exitOf));
  clearTimeout(timer);
  await emulator?.close().catch(() => {});
  process.exit(code);
}

/** Signs in as the demo admin and starts a full pull when the master has no product yet. */
async function firstPull(baseUrl: string): Promise<void> {
  const session = await fetch(`${baseUrl}/api/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ demoUser: 'demo-admin' }) });
  if (!session.ok) throw new Error(`demo sign-in failed: ${session.status} ${await session.text()}`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const list = await fetch(`${baseUrl}/api/products?limit=1`, { headers: { cookie } });
  const body = (await list.json()) as { total?: number; items?: unknown[] };
  if ((body.total ?? body.items?.length ?? 0) > 0) {
    console.log('[demo] the master already has products; no pull needed');
    return;
  }
  const pull = await fetch(`${baseUrl}/api/sync/shopify/pull`, { method: 'POST', headers: { cookie, origin: baseUrl, 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'full' }) });
  if (!pull.ok) throw new Error(`first pull refused: ${pull.status} ${await pull.text()}`);
  console.log(`[demo] first full pull started (operation ${((await pull.json()) as { operationId: string }).operationId}); watch it on the Operations page`);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGHUP', () => void stop(0));
  // However the demo ends (an error, an exit without stop()), it does not leave the app running.
  process.once('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM')));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  console.log(`[demo] starting the Shopify emulator on port ${emulatorPort} with ${products} products (seed 1)`);
  emulator = await startEmulator({ port: emulatorPort, host: '127.0.0.1', products, seed: 1, accessToken: 'demo-admin-token', webhookSecret: 'demo-webhook-secret' });

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
    PORT: String(appPort),
    SHOPIFY_SHOP: emulator.shopDomain,
    SHOPIFY_ACCESS_TOKEN: emulator.accessToken,
    SHOPIFY_ADMIN_URL: emulator.adminUrl,
    SHOPIFY_WEBHOOK_SECRET: emulator.webhookSecret,
    PUBLIC_URL: baseUrl,
  };
  console.log('[demo] starting the app server (embedded database under .data/ unless DATABASE_URL is set)');
  // node itself with tsx's loader, not the tsx binary (a wrapper that runs the server as a grandchild):
  // the signal the demo sends on stop reaches the server directly.
  run(process.execPath, ['--import', 'tsx', 'server.ts'], appEnv, 'app');
  await waitForPort(appPort, 120_000);
  await firstPull(baseUrl);

  console.log(`
  Catalog Sync Desk is running: ${baseUrl}
  Sign in with a demo user:
    merchandiser  reviews and approves changes, edits products
    admin         also pulls and pushes, sets auto-approval rules
    support       rolls batches back
  Shopify emulator: ${emulator.url} (shop ${emulator.shopDomain})
  Press Ctrl-C to stop.
`);
}

main().catch((err: Error) => {
  console.error(`[demo] ${err.message}`);
  void stop(1);
});
