import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchReport } from '../bench/report';
import { reportsDir } from '../bench/report';
import { type BenchRun, type CombinedReport, combine, mergeRuns, toMarkdown } from '../bench/summary';

/**
 * `npm run bench [-- name...]`: runs every bench/*.bench.ts (or those whose name contains one of
 * the arguments) one after another in its own process, gathers the reports they write, and writes
 * bench/reports/REPORT.json and REPORT.md (this run only). The kept report, bench/REPORT.json and
 * bench/REPORT.md (committed), is updated with this run's benches, each with its date; the others
 * keep their last figures. A bench that crashes or times out is listed as failed.
 * Exits non-zero when a bench failed; missed targets are marked, not fatal.
 */
const BENCH_DIR = path.join(process.cwd(), 'bench');
const KEPT_JSON = path.join(BENCH_DIR, 'REPORT.json');
const KEPT_MD = path.join(BENCH_DIR, 'REPORT.md');
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 900) * 1000;

function benchFiles(filters: string[]): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort()
    .map((f) => path.join('bench', f));
}

function reportsWrittenSince(since: number): BenchReport[] {
  const dir = reportsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'REPORT.json')
    .filter((f) => statSync(path.join(dir, f)).mtimeMs >= since)
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as BenchReport);
}

async function runOne(file: string): Promise<BenchRun> {
  const started = Date.now();
  console.log(`\n=== ${file}`);
  let tail = '';
  const keep = (chunk: Buffer, out: NodeJS.WriteStream) => {
    out.write(chunk);
    tail = (tail + chunk.toString()).slice(-2000);
  };
  // node itself with tsx as a loader: killing the child stops the bench, not a wrapper.
  // Its own process group: a timeout kills what the bench started too (an emulator process), not only the bench.
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env, detached: true });
  child.stdout.on('data', (c: Buffer) => keep(c, process.stdout));
  child.stderr.on('data', (c: Buffer) => keep(c, process.stderr));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const reports = reportsWrittenSince(started - 1);
  const failed = timedOut || exitCode !== 0 || reports.length === 0;
  const lastLine = tail.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
  const error = timedOut
    ? `timed out after ${TIMEOUT_MS / 1000} s`
    : exitCode !== 0
      ? `exit ${exitCode}: ${lastLine.slice(0, 300)}`
      : reports.length === 0
        ? 'wrote no report'
        : undefined;
  return {
    file,
    status: failed ? 'failed' : 'passed',
    exitCode,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    startedAt: new Date(started).toISOString(),
    reports,
    ...(error ? { error } : {}),
  };
}

/** Benches that talk to a real app process measure the production server: build it once if missing. */
async function ensureBuild(): Promise<void> {
  if (existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) return;
  console.log('No production build found: running next build first');
  const next = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
  const code = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, [next, 'build'], { stdio: 'inherit', env: process.env }).once('exit', resolve),
  );
  if (code !== 0) console.error(`next build failed (${code}); benches that need it will run the development server`);
}

async function main() {
  // `npm run bench -- --report-only`: bench/REPORT.md written again from bench/REPORT.json, nothing run.
  if (process.argv.includes('--report-only')) {
    writeFileSync(KEPT_MD, toMarkdown(JSON.parse(readFileSync(KEPT_JSON, 'utf8')) as CombinedReport));
    return;
  }
  const files = benchFiles(process.argv.slice(2));
  await ensureBuild();
  if (files.length === 0) {
    console.error('No bench/*.bench.ts matched');
    process.exit(1);
  }
  const runs: BenchRun[] = [];
  for (const file of files) runs.push(await runOne(file));
  const report = combine(runs);
  mkdirSync(reportsDir(), { recursive: true });
  writeFileSync(path.join(reportsDir(), 'REPORT.json'), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = toMarkdown(report);
  writeFileSync(path.join(reportsDir(), 'REPORT.md'), markdown);
  console.log(`\n${markdown}`);
  const kept = existsSync(KEPT_JSON) ? (JSON.parse(readFileSync(KEPT_JSON, 'utf8')) as CombinedReport) : null;
  const merged = mergeRuns(kept, runs);
  writeFileSync(KEPT_JSON, `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(KEPT_MD, toMarkdown(merged));
  console.log('Written: bench/reports/REPORT.json, bench/reports/REPORT.md; kept: bench/REPORT.json, bench/REPORT.md');
  process.exit(report.totals.failed > 0 ? 1 : 0);
}

void main();
