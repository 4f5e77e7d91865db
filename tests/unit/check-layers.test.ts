import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('scripts/check-layers.mjs');
let dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Runs the layer check in a throwaway git tree holding only `files` (path -> source). */
function checkTree(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'check-layers-'));
  dirs.push(dir);
  spawnSync('git', ['init', '-q'], { cwd: dir });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

const tree = {
  'lib/sync/model.ts': 'export const A = 1;\n',
  'server/db/client.ts': "import { A } from '../../lib/sync/model';\nexport const db = A;\n",
  'server/staging/plans.ts': "import { db } from '../db/client';\nexport const stage = db;\n",
  'server/review/decisions.ts': "import { stage } from '../staging/plans';\nexport const decide = stage;\n",
  'server/push/engine.ts': "import { decide } from '@/server/review/decisions';\nexport const push = decide;\n",
};

describe('scripts/check-layers.mjs', () => {
  it('passes a tree whose imports follow ingest -> staging -> review -> push', () => {
    const run = checkTree(tree);
    expect(run.output).toMatch(/Layers hold: 5 files/);
    expect(run.status).toBe(0);
  });

  it.each([
    [
      'review imports push',
      'server/review/rules.ts',
      "import { push } from '../push/engine';\n",
      /server\/review\/rules\.ts \(review\) imports \.\.\/push\/engine \(push\)/,
    ],
    [
      'staging imports review',
      'server/staging/restage.ts',
      "import { decide } from '@/server/review/decisions';\n",
      /\(staging\) imports @\/server\/review\/decisions \(review\)/,
    ],
    [
      'a shared folder imports a stage',
      'server/db/keyset.ts',
      "export { stage } from '../staging/plans';\n",
      /\(shared\) imports \.\.\/staging\/plans \(staging\)/,
    ],
    [
      'lib imports server',
      'lib/sync/fields.ts',
      "import { db } from '../../server/db/client';\n",
      /\(lib\) imports \.\.\/\.\.\/server\/db\/client \(shared\)/,
    ],
    [
      'a lazy import runs backwards',
      'server/staging/lazy.ts',
      "export const later = () => import('../push/engine');\n",
      /\(staging\) imports \.\.\/push\/engine \(push\)/,
    ],
  ])('fails when %s', (_name, file, text, message) => {
    const run = checkTree({ ...tree, [file]: text });
    expect(run.status).toBe(1);
    expect(run.output).toMatch(message);
  });
});
