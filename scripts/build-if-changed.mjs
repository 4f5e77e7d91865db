// `next build`, unless .next already holds a build of exactly these sources: the test command runs
// once per database, and the second build of unchanged sources would repeat the first (~50 s).
// The key is every file git would commit outside tests/, bench/ and .ci/ (content, not times),
// the lockfile, and the environment a build reads (NODE_ENV, NEXT_PUBLIC_*).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dist = process.env.NEXT_DIST_DIR || '.next';
const stamp = path.join(dist, 'source-hash');

function sourceHash() {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  if (listed.status !== 0) return null; // not a git checkout: always build
  const files = listed.stdout
    .split('\0')
    .filter((f) => f && !/^(tests|bench|\.ci)\//.test(f) && existsSync(f))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  const env = Object.entries(process.env)
    .filter(([k]) => k === 'NODE_ENV' || k.startsWith('NEXT_PUBLIC_'))
    .sort(([a], [b]) => a.localeCompare(b));
  hash.update(JSON.stringify(env));
  return hash.digest('hex');
}

const key = sourceHash();
if (key && existsSync(path.join(dist, 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) {
  console.log(`${dist} is a build of these sources already; not building again`);
  process.exit(0);
}
const build = spawnSync(path.join('node_modules', '.bin', 'next'), ['build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (key) writeFileSync(stamp, key);
