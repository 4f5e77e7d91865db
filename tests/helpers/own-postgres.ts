import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);

/**
 * A Postgres server of the test's own (initdb + pg_ctl from the installed binaries) on its own
 * port and data folder, so a test may stop, kill or restart it without touching the machine's
 * shared server. Under root the binaries run as the `postgres` user (initdb refuses root).
 */
export interface OwnPostgres {
  url: string;
  port: number;
  dataDir: string;
  /** Fast shutdown: connections are closed, the server is down until `start`. */
  stop(): Promise<void>;
  /** Immediate shutdown: like a crash (recovery runs at the next start; durability settings are left at their defaults so committed work survives). */
  crash(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
}

export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('No Postgres binaries under /usr/lib/postgresql/*/bin');
  const asRoot = process.getuid?.() === 0;
  const base = mkdtempSync(path.join(tmpdir(), 'csd-own-pg-'));
  const dataDir = path.join(base, 'data');
  if (asRoot)
    chownSync(
      base,
      Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    );
  const exec = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  const user = asRoot ? 'postgres' : userInfo().username;
  await exec('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=60`;
  const pgctl = (args: string[]) => exec('pg_ctl', ['-D', dataDir, '-w', '-t', '60', ...args]);
  const start = async () => {
    await pgctl(['-o', options, '-l', path.join(base, 'log'), 'start']);
  };
  await start();
  let running = true;
  const own: OwnPostgres = {
    url: `postgres://${user}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async stop() {
      await pgctl(['-m', 'fast', 'stop']);
      running = false;
    },
    async crash() {
      await pgctl(['-m', 'immediate', 'stop']);
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async restart() {
      await own.stop();
      await own.start();
    },
    async destroy() {
      if (running) await pgctl(['-m', 'immediate', 'stop']).catch(() => {});
      running = false;
      rmSync(base, { recursive: true, force: true });
    },
  };
  return own;
}
