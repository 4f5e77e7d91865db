import postgres from 'postgres';

/** Runs a bench's main: exits 0 when it finishes, 1 with the error printed when it throws. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** A new, empty database named `name` on the bench's Postgres server (dropped first if a run left it); its URL. */
export async function freshDatabase(server: string, name: string): Promise<string> {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The emulator's command line for a bench's catalog: a seeded store of `products` on the Plus plan. */
export function emulatorArgs(port: number, products: number, token: string, extra: string[] = []): string[] {
  return [
    'server/emulator/cli.ts',
    '--port',
    String(port),
    '--products',
    String(products),
    '--seed',
    '1',
    '--plan',
    'plus',
    '--token',
    token,
    ...extra,
  ];
}
