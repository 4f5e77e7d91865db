import { type BenchReport, boundText, formatValue, type ReportedFigure, ratioText } from './report';

/** What the runner learned from one bench script. */
export interface BenchRun {
  /** The script, e.g. bench/webhook-ingest.bench.ts. */
  file: string;
  status: 'passed' | 'failed';
  exitCode: number | null;
  durationSeconds: number;
  /** When the run started (ISO); absent in reports written before it was recorded. */
  startedAt?: string;
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

/**
 * The kept report (bench/REPORT.json) updated with this invocation's runs: a bench run now replaces
 * its earlier run, the others stay with their own dates, so `npm run bench -- pull` refreshes the
 * pull rows only. Runs are ordered by file.
 */
export function mergeRuns(kept: CombinedReport | null, runs: BenchRun[], at = new Date()): CombinedReport {
  const byFile = new Map((kept?.runs ?? []).map((r) => [r.file, r]));
  for (const run of runs) byFile.set(run.file, run);
  return combine(
    [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file)),
    at,
  );
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markOf(f: ReportedFigure): string {
  return f.met === null ? '' : f.met ? 'ok' : '**MISSED**';
}

const day = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');

/**
 * One markdown table: bench, figure, value, bound (what the hardware or Shopify allows), value / bound,
 * target, mark; a failed bench is a row of its own. Then each bench's date, duration and status.
 */
export function toMarkdown(report: CombinedReport): string {
  const { totals } = report;
  const lines = [
    '# Benchmark report',
    '',
    `Written ${day(report.at)} UTC. ${totals.benches} benches (${totals.failed} failed), ${totals.figures} figures: ` +
      `${totals.met} met, ${totals.missed} missed, ${totals.withoutTarget} without a target.`,
    '',
    'bound = what the hardware or Shopify allows (measured = in the same run); ratio = value / bound.',
    '',
    '| bench | figure | value | bound | ratio | target | |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const run of report.runs) {
    const script = run.file.replace(/^.*\//, '');
    if (run.status === 'failed') {
      lines.push(`| ${cell(script)} | (bench failed) | | | | | **FAILED**: ${cell(run.error ?? `exit ${run.exitCode}`)} |`);
    }
    for (const rep of run.reports) {
      for (const f of rep.figures) {
        const value = `${formatValue(f.value)} ${f.unit}`;
        const note = f.note ? ` ${cell(f.note)}` : '';
        const row = [rep.bench, f.name, value, boundText(f), ratioText(f.ratio), f.targetText ?? '', `${markOf(f)}${note}`];
        lines.push(`| ${row.map(cell).join(' | ')} |`);
      }
    }
  }
  lines.push('', '| bench | run at (UTC) | duration | status |', '|---|---|---|---|');
  for (const run of report.runs) {
    const at = run.startedAt ?? run.reports[0]?.at;
    const env = run.reports[0]?.environment;
    const load = env?.load === undefined ? '' : `, load ${env.load}`;
    const where = env ? ` (node ${env.node}, ${env.cpus} cpus${load}${env.database ? `, ${env.database}` : ''})` : '';
    lines.push(`| ${cell(run.file)} | ${day(at)} | ${run.durationSeconds} s | ${run.status}${cell(where)} |`);
  }
  return `${lines.join('\n')}\n`;
}
