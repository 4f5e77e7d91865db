import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';

/**
 * What the hardware or Shopify allows for a figure, in the figure's unit: the best value it could
 * have. `measured` says it was measured in the same run (e.g. export + COPY of the same rows), not
 * derived from a model (e.g. points / restore rate).
 */
export interface Bound {
  value: number;
  /** How the bound was obtained, e.g. "bulk export + COPY of the same 615k rows". */
  what: string;
  measured?: boolean;
}

/**
 * One measured figure next to its target and, where one is known, its bound. `better` says which
 * direction meets the target. `target` is absolute (in `unit`); `ratioTarget` is a target on
 * value / bound (e.g. 2 for "<= 2x the bound"). Both may be given: both must be met.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: number;
  better?: 'lower' | 'higher';
  note?: string;
  bound?: Bound;
  ratioTarget?: number;
}

/** A figure as reported: its bound ratio and target comparison spelled out, and whether it was met. */
export interface ReportedFigure extends Figure {
  /** `<=` when lower is better, `>=` when higher is better; null without a target. */
  comparison: '<=' | '>=' | null;
  /** "<= 50 ms", "<= 2x bound", "<= 12 s and <= 2x bound", or null without a target. */
  targetText: string | null;
  /** value / bound.value, or null without a bound (or with a zero bound). */
  ratio?: number | null;
  met: boolean | null;
}

export interface BenchReport {
  bench: string;
  at: string;
  /** `load`: the machine's 1-minute load average when the figures were written (others' work on a shared machine). */
  environment: { node: string; cpus: number; database?: string; load?: number };
  figures: ReportedFigure[];
}

export function ratioOf(f: Figure): number | null {
  if (!f.bound || !Number.isFinite(f.bound.value) || f.bound.value === 0) return null;
  return f.value / f.bound.value;
}

const meets = (better: 'lower' | 'higher', value: number, target: number) => (better === 'lower' ? value <= target : value >= target);

export function met(f: Figure): boolean | null {
  if (f.better === undefined) return null;
  const checks: boolean[] = [];
  if (f.target !== undefined) checks.push(meets(f.better, f.value, f.target));
  if (f.ratioTarget !== undefined) {
    const ratio = ratioOf(f);
    checks.push(ratio !== null && meets(f.better, ratio, f.ratioTarget));
  }
  return checks.length === 0 ? null : checks.every(Boolean);
}

export function describeFigure(f: Figure): ReportedFigure {
  const hasTarget = f.target !== undefined || f.ratioTarget !== undefined;
  const comparison = !hasTarget || f.better === undefined ? null : f.better === 'lower' ? '<=' : '>=';
  const parts: string[] = [];
  if (comparison && f.target !== undefined) parts.push(`${comparison} ${f.target} ${f.unit}`);
  if (comparison && f.ratioTarget !== undefined) parts.push(`${comparison} ${f.ratioTarget}x bound`);
  return {
    ...f,
    comparison,
    targetText: parts.length === 0 ? null : parts.join(' and '),
    ratio: ratioOf(f),
    met: met(f),
  };
}

export function reportsDir(): string {
  return path.join(process.cwd(), 'bench', 'reports');
}

/** "2.5 s (measured: export + COPY)" or "" without a bound. */
export function boundText(f: Figure): string {
  if (!f.bound) return '';
  return `${formatValue(f.bound.value)} ${f.unit} (${f.bound.measured ? 'measured: ' : ''}${f.bound.what})`;
}

export function ratioText(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '' : `${formatValue(ratio)}x`;
}

/**
 * Prints the figures (value, bound, ratio, target) and writes bench/reports/<bench>.json, which
 * `npm run bench` gathers into one report. Benchmarks never assert; a missed target is marked, not thrown.
 */
export function writeReport(bench: string, figures: Figure[], extra: { database?: string } = {}): BenchReport {
  const report: BenchReport = {
    bench,
    at: new Date().toISOString(),
    environment: { node: process.version, cpus: cpus().length, load: Math.round(loadavg()[0]! * 10) / 10, ...extra },
    figures: figures.map(describeFigure),
  };
  const dir = reportsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${bench}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${bench}`);
  for (const f of report.figures) {
    const bound = f.bound ? `; bound ${boundText(f)}, ratio ${ratioText(f.ratio)}` : '';
    const target = f.targetText === null ? '' : ` (target ${f.targetText})`;
    const mark = f.met === null ? '' : f.met ? '  ok' : '  MISSED';
    console.log(`  ${f.name}: ${formatValue(f.value)} ${f.unit}${bound}${target}${mark}${f.note ? `  - ${f.note}` : ''}`);
  }
  return report;
}

export function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** The p-th percentile (0-100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
