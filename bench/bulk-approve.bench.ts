import { sql } from 'drizzle-orm';
import { stores } from '../drizzle/schema';
import { openDatabase } from '../server/db/client';
import { applyMigrations } from '../server/db/migrate';
import { queryOne } from '../server/db/rows';
import { bulkApprove } from '../server/review/decisions';
import { freshDatabase, runBench } from './harness';
import { writeReport } from './report';

/**
 * Bulk approve by filter: 100,000 pending outgoing price changes (one per variant row of the
 * catalog) approved with one request body `{filter: {storeId}}` through the route's own function.
 * The bound, measured in the same run: one plain UPDATE of the same rows' status in a copy of the table.
 * Database: BENCH_DATABASE_URL's server (a database csd_bench_approve is recreated there), or PGlite
 * when BENCH_PGLITE=1. BENCH_CHANGES to change the size.
 */
const CHANGES = Number(process.env.BENCH_CHANGES ?? 100_000);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_DB_NAME ?? 'csd_bench_approve';

/** Postgres unless BENCH_PGLITE=1 (then PGlite in memory). */
function benchDatabase(): Promise<string> | undefined {
  return process.env.BENCH_PGLITE === '1' ? undefined : freshDatabase(SERVER, DB_NAME);
}

async function main() {
  const url = await benchDatabase();
  const database = await openDatabase(url ? { url } : { dataDir: 'memory://' });
  const { db } = database;
  try {
    await applyMigrations(database);
    const [store] = await db
      .insert(stores)
      .values({ shopDomain: 'bench-approve.myshopify.com', name: 'bench-approve', accessToken: 'x', source: 'demo' })
      .returning();
    const storeId = store!.id;
    // One variant row per change (the catalog rows a decision locks), and its pending outgoing price change.
    await db.execute(sql`insert into catalog_entities (store_id, entity, key, product_key, local, base, remote)
      select ${storeId}::uuid, 'variant', 'gid://shopify/ProductVariant/' || i, 'gid://shopify/Product/' || (i / 3),
             jsonb_build_object('price', (i % 500 + 1)::text || '.50'), jsonb_build_object('price', (i % 500 + 1)::text || '.00'),
             jsonb_build_object('price', (i % 500 + 1)::text || '.00')
      from generate_series(1, ${CHANGES}) i`);
    await db.execute(sql`insert into staged_changes (store_id, entity, entity_key, product_key, kind, op, status, fields, source, title, search_text)
      select ${storeId}::uuid, 'variant', 'gid://shopify/ProductVariant/' || i, 'gid://shopify/Product/' || (i / 3), 'outgoing', 'update',
             'pending', jsonb_build_array(jsonb_build_object('name', 'price', 'base', (i % 500 + 1)::text || '.00',
               'local', (i % 500 + 1)::text || '.50', 'remote', (i % 500 + 1)::text || '.00')),
             'local', 'Product ' || (i / 3), 'product ' || (i / 3)
      from generate_series(1, ${CHANGES}) i`);
    await db.execute(sql`analyze`);

    // The bound: one UPDATE of the same rows in a copy of the table (its indexes included).
    await db.execute(sql`create table bench_changes (like staged_changes including all)`);
    await db.execute(sql`insert into bench_changes select * from staged_changes`);
    await db.execute(sql`analyze bench_changes`);
    let started = performance.now();
    await db.execute(
      sql`update bench_changes set status = 'approved', decided_by = 'bench', decided_at = now(), updated_at = now() where status = 'pending'`,
    );
    const boundSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const result = await bulkApprove(db, { filter: { storeId } }, { id: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    const approved = await queryOne<{ n: number; right: number }>(
      db,
      sql`select count(*)::int as n, count(*) filter (where target->>'price' = fields->0->>'local')::int as right
          from staged_changes where store_id = ${storeId} and status = 'approved'`,
    );
    writeReport(
      'bulk-approve',
      [
        {
          name: `bulk approve of ${CHANGES.toLocaleString('en')} pending by filter`,
          value: seconds,
          unit: 's',
          target: 2,
          better: 'lower',
          bound: { value: boundSeconds, what: 'one UPDATE of the same rows', measured: true },
          note: `${result.count} approved, ${approved?.right} with the master's value as target, ${result.skipped.length} skipped`,
        },
        { name: 'changes approved', value: approved?.n ?? 0, unit: 'changes', target: CHANGES, better: 'higher' },
      ],
      { database: database.kind },
    );
  } finally {
    await database.close();
  }
}

runBench(main);
