import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDatabaseUrl } from './pg';

export interface AppProcess {
  url: string;
  proc: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no cleanup at all. */
  kill(): Promise<void>;
  env: Record<string, string>;
}

export interface StartAppOptions {
  env?: Record<string, string>;
  /** Reuse the database of an earlier process (restart tests). */
  reuse?: { DATABASE_URL?: string; DATA_DIR?: string };
  /** Keep the database when this process stops (a restart follows). */
  keepDatabase?: boolean;
  /** production (built) or development server. */
  mode?: 'production' | 'development';
}

/**
 * Starts the real server (server.ts through tsx) as a child process on an ephemeral port,
 * on a database of its own: a fresh Postgres database, or PGlite in a temporary directory.
 */
export async function startAppProcess(options: StartAppOptions = {}): Promise<AppProcess> {
  const dbEnv: Record<string, string> = {};
  let cleanup: () => Promise<void> = async () => {};
  if (options.reuse) Object.assign(dbEnv, options.reuse);
  else if (testDatabaseUrl()) {
    const testDb = await createTestDatabase();
    await testDb.database.close();
    dbEnv.DATABASE_URL = testDb.url!;
    cleanup = () => testDb.drop().catch(() => {});
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'csd-app-'));
    dbEnv.DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: options.mode ?? 'production',
    DEV_AUTH: 'true',
    // The tests run the production build on loopback with demo users: a local demo, said so explicitly.
    DEV_AUTH_ALLOW_PRODUCTION: 'true',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...dbEnv,
    ...options.env,
  };
  if (!dbEnv.DATABASE_URL) delete env.DATABASE_URL;
  // node itself with tsx's loader (not the tsx binary, which runs the server as a grandchild):
  // a signal sent to `proc` reaches the server, so kill() is a real kill -9.
  // APP_NODE_ARGS: extra node options for the server only (a benchmark's --cpu-prof, a heap size).
  const nodeArgs = (process.env.APP_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server.ts'], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d));
  proc.stderr!.on('data', (d: Buffer) => (output += d));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in 90 s:\n${output}`)), 90_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before listening:\n${output}`));
    });
  });

  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let owned = !options.reuse && !options.keepDatabase;
  return {
    url,
    proc,
    env: dbEnv,
    output: () => output,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await exited;
      if (owned) await cleanup();
      owned = false;
      return code;
    },
    async kill() {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Keeps the database of a killed or stopped process for a restart; the caller cleans up. */
export function databaseOf(app: AppProcess): { DATABASE_URL?: string; DATA_DIR?: string } {
  return app.env;
}
