import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

/** One measured figure next to its target. `better` says which direction meets the target. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: number;
  better?: 'lower' | 'higher';
  note?: string;
}

/** A figure as reported: its target comparison spelled out, and whether it was met. */
export interface ReportedFigure extends Figure {
  /** `<=` when lower is better, `>=` when higher is better; null without a target. */
  comparison: '<=' | '>=' | null;
  /** "<= 50 ms", or null without a target. */
  targetText: string | null;
  met: boolean | null;
}

export interface BenchReport {
  bench: string;
  at: string;
  environment: { node: string; cpus: number; database?: string };
  figures: ReportedFigure[];
}

export function met(f: Figure): boolean | null {
  if (f.target === undefined || f.better === undefined) return null;
  return f.better === 'lower' ? f.value <= f.target : f.value >= f.target;
}

export function describeFigure(f: Figure): ReportedFigure {
  const comparison = f.target === undefined || f.better === undefined ? null : f.better === 'lower' ? '<=' : '>=';
  return {
    ...f,
    comparison,
    targetText: comparison === null ? null : `${comparison} ${f.target} ${f.unit}`,
    met: met(f),
  };
}

export function reportsDir(): string {
  return path.join(process.cwd(), 'bench', 'reports');
}

/**
 * Prints the figures as a table and writes bench/reports/<bench>.json, which `npm run bench`
 * gathers into one report. Benchmarks never assert; a missed target is marked, not thrown.
 */
export function writeReport(bench: string, figures: Figure[], extra: { database?: string } = {}): BenchReport {
  const report: BenchReport = {
    bench,
    at: new Date().toISOString(),
    environment: { node: process.version, cpus: cpus().length, ...extra },
    figures: figures.map(describeFigure),
  };
  const dir = reportsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${bench}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${bench}`);
  for (const f of report.figures) {
    const target = f.targetText === null ? '' : ` (target ${f.targetText})`;
    const mark = f.met === null ? '' : f.met ? '  ok' : '  MISSED';
    console.log(`  ${f.name}: ${formatValue(f.value)} ${f.unit}${target}${mark}${f.note ? `  - ${f.note}` : ''}`);
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
