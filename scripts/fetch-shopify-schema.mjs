#!/usr/bin/env node
// Fetches Shopify's Admin GraphQL introspection schema (API 2026-10) from the npm registry:
// the file dist/data/admin_2026-10.json.gz of @shopify/dev-mcp@1.16.0. Shopify's schema text is
// not kept in this repository; it lands in .cache/shopify/ at install time (npm's postinstall).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@shopify/dev-mcp@1.16.0';
const TARBALL_INTEGRITY = 'sha512-tqgRnK7sQhjew+htxtleTH23nXB5fZcsrhWgEkomsorGXvLOB2mh2upwZm8uzuTDNTZnqtLMe64yIwh6s2awtw==';
const FILE_IN_PACKAGE = 'package/dist/data/admin_2026-10.json.gz';
const FILE_SHA256 = 'f3b522f264556925eada700e795e4a002a9cba83444ebcc6c0d724254a0c6593';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, '.cache', 'shopify', 'admin_2026-10.json.gz');

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

if (existsSync(target) && sha256(target) === FILE_SHA256) {
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'shopify-schema-'));
try {
  const out = execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', work], {
    cwd: work,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out);
  if (packed.integrity !== TARBALL_INTEGRITY) {
    throw new Error(`${PACKAGE} tarball integrity ${packed.integrity} does not match the pinned ${TARBALL_INTEGRITY}`);
  }
  const tarball = path.join(work, packed.filename);
  const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (actual !== TARBALL_INTEGRITY) throw new Error(`downloaded tarball integrity ${actual} does not match`);
  execFileSync('tar', ['-xzf', tarball, '-C', work, FILE_IN_PACKAGE]);
  const extracted = path.join(work, FILE_IN_PACKAGE);
  if (sha256(extracted) !== FILE_SHA256) throw new Error('schema file checksum does not match the pinned one');
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(extracted, target);
  console.log(`Shopify Admin schema 2026-10 saved to ${path.relative(root, target)}`);
} catch (err) {
  console.error(`Could not fetch the Shopify Admin schema from ${PACKAGE}: ${err.message}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
