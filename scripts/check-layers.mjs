#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
// Fails when an import runs against the data path (DESIGN.md, Layout). The server's stages are
// ingest (pull, poll, webhooks, edits, imports) -> staging -> review -> push. Staging is where
// ingest writes and review and push read, so every stage may import it; review decides, push
// applies decisions; nothing imports ingest (the composition root drives it) and staging imports
// no stage. Below the stages sit lib/, drizzle/ and server's shared folders and files (db, realtime,
// operations, stores, the typed runtime core server/runtime.ts, ...), which import no stage; lib/
// imports nothing of server/; the browser's components/ import lib/ only. A stage that needs a
// later one (push re-staging a drifted entity) gets a function passed in by the composition root,
// not an import. The composition (the services built on the runtime, the app server, and the
// entry points app/ reaches them through) may import anything, and nothing layered imports it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const STAGES = ['ingest', 'staging', 'review', 'push'];
const MAY_IMPORT = { ingest: ['staging'], staging: [], review: ['staging'], push: ['staging', 'review'] };
/**
 * server/ files that compose the stages: the services built once at start, the app server, what
 * reports on all of them, and the one slot (with the route guard and the pages' session that read
 * it) through which Next's separately bundled routes and pages reach the services.
 */
const COMPOSITION = new Set([
  'server/services.ts',
  'server/app-server.ts',
  'server/health.ts',
  'server/registry.ts',
  'server/http/route.ts',
  'server/auth/page-session.ts',
]);

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(f));

function resolve(spec, from) {
  let base;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('.')) base = path.normalize(path.join(path.dirname(from), spec));
  else return null;
  for (const ext of ['.ts', '.tsx', '/index.ts', '/index.tsx', '']) {
    if (existsSync(base + ext) && !base.endsWith('/') && (ext !== '' || /\.(ts|tsx|mjs|json|css)$/.test(base))) return base + ext;
  }
  return base;
}

/** The layer a file is in: a stage name, 'shared' (server's other folders), 'lib', 'components', or null (anything else). */
function layerOf(file) {
  const parts = file.split('/');
  if (parts[0] === 'lib' || parts[0] === 'drizzle') return 'lib';
  if (parts[0] === 'components') return 'components';
  if (parts[0] !== 'server' || COMPOSITION.has(file)) return null;
  if (STAGES.includes(parts[1])) return parts[1];
  if (parts.length === 2) return 'shared';
  if (parts[1] === 'emulator') return null;
  return 'shared';
}

function allowed(from, to) {
  if (from === null || to === null || from === to) return true;
  if (STAGES.includes(from)) return !STAGES.includes(to) || MAY_IMPORT[from].includes(to);
  if (from === 'shared') return to === 'shared' || to === 'lib';
  if (from === 'lib') return to === 'lib';
  if (from === 'components') return to === 'components' || to === 'lib';
  return true;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const problems = [];
for (const file of files) {
  const from = layerOf(file);
  if (from === null) continue;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const target = resolve(spec, file);
    if (!target) continue;
    const to = layerOf(target) ?? (target.startsWith('server/') ? 'composition' : null);
    if (to === 'composition' ? from !== null : !allowed(from, to)) problems.push(`${file} (${from}) imports ${spec} (${to})`);
  }
}
if (problems.length) {
  console.error(`Imports against the data path (scripts/check-layers.mjs):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Layers hold: ${files.length} files, no import against ingest -> staging -> review -> push.`);
