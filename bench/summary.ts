import { type BenchReport, formatValue, type ReportedFigure } from './report';

/** What the runner learned from one bench script. */
export interface BenchRun {
  /** The script, e.g. bench/webhook-ingest.bench.ts. */
  file: string;
  status: 'passed' | 'failed';
  exitCode: number | null;
  durationSeconds: number;
  /** Reports the script wrote during this run (usually one). */
  reports: BenchReport[];
  /** Why it failed: the exit code, a timeout, or the last lines of its output. */
  error?: string;
}

export interface CombinedReport {
  at: string;
  runs: BenchRun[];
  totals: { benches: number; failed: number; figures: number; met: number; missed: number; withoutTarget: number };
}

export function combine(runs: BenchRun[], at = new Date()): CombinedReport {
  const figures = runs.flatMap((r) => r.reports.flatMap((rep) => rep.figures));
  return {
    at: at.toISOString(),
    runs,
    totals: {
      benches: runs.length,
      failed: runs.filter((r) => r.status === 'failed').length,
      figures: figures.length,
      met: figures.filter((f) => f.met === true).length,
      missed: figures.filter((f) => f.met === false).length,
      withoutTarget: figures.filter((f) => f.met === null).length,
    },
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markOf(f: ReportedFigure): string {
  return f.met === null ? '' : f.met ? 'ok' : '**MISSED**';
}

/** One markdown table: bench, figure, value, target, mark; a failed bench is a row of its own. */
export function toMarkdown(report: CombinedReport): string {
  const { totals } = report;
  const lines = [
    '# Benchmark report',
    '',
    `Run at ${report.at}. ${totals.benches} benches (${totals.failed} failed), ${totals.figures} figures: ` +
      `${totals.met} met, ${totals.missed} missed, ${totals.withoutTarget} without a target.`,
    '',
    '| bench | figure | value | target | |',
    '|---|---|---|---|---|',
  ];
  for (const run of report.runs) {
    const script = run.file.replace(/^.*\//, '');
    if (run.status === 'failed') {
      lines.push(`| ${cell(script)} | (bench failed) | | | **FAILED**: ${cell(run.error ?? `exit ${run.exitCode}`)} |`);
    }
    for (const rep of run.reports) {
      for (const f of rep.figures) {
        const value = `${formatValue(f.value)} ${f.unit}`;
        const note = f.note ? ` ${cell(f.note)}` : '';
        lines.push(`| ${cell(rep.bench)} | ${cell(f.name)} | ${value} | ${f.targetText ?? ''} | ${markOf(f)}${note} |`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
