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

export interface BenchReport {
  bench: string;
  at: string;
  environment: { node: string; cpus: number; database?: string };
  figures: Array<Figure & { met: boolean | null }>;
}

export function met(f: Figure): boolean | null {
  if (f.target === undefined || f.better === undefined) return null;
  return f.better === 'lower' ? f.value <= f.target : f.value >= f.target;
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
    figures: figures.map((f) => ({ ...f, met: met(f) })),
  };
  const dir = path.join(process.cwd(), 'bench', 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${bench}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${bench}`);
  for (const f of report.figures) {
    const target = f.target === undefined ? '' : ` (target ${f.better === 'lower' ? '<=' : '>='} ${f.target} ${f.unit})`;
    const mark = f.met === null ? '' : f.met ? '  ok' : '  MISSED';
    console.log(`  ${f.name}: ${round(f.value)} ${f.unit}${target}${mark}${f.note ? `  - ${f.note}` : ''}`);
  }
  return report;
}

function round(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
