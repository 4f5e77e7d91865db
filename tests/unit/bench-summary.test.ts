import { describe, expect, it } from 'vitest';
import { describeFigure, percentile } from '../../bench/report';
import { combine, mergeRuns, toMarkdown } from '../../bench/summary';

const report = (bench: string, figures: Parameters<typeof describeFigure>[0][]) => ({
  bench,
  at: '2026-11-22T07:00:00.000Z',
  environment: { node: 'v20', cpus: 2 },
  figures: figures.map(describeFigure),
});

describe('bench report', () => {
  it('puts each figure beside its target and marks the ones that miss', () => {
    const combined = combine(
      [
        {
          file: 'bench/webhook-ingest.bench.ts',
          status: 'passed',
          exitCode: 0,
          durationSeconds: 12,
          reports: [
            report('webhook-ingest', [
              { name: 'p99 latency', value: 72.4, unit: 'ms', target: 50, better: 'lower' },
              { name: 'accepted (2xx)', value: 5000, unit: 'deliveries', target: 5000, better: 'higher' },
              { name: 'p50 latency', value: 3.1, unit: 'ms' },
            ]),
          ],
        },
        {
          file: 'bench/push.bench.ts',
          status: 'failed',
          exitCode: 1,
          durationSeconds: 3,
          reports: [],
          error: 'exit 1: emulator | refused',
        },
      ],
      new Date('2026-11-22T07:01:00Z'),
    );
    expect(combined.totals).toEqual({ benches: 2, failed: 1, figures: 3, met: 1, missed: 1, withoutTarget: 1 });
    const md = toMarkdown(combined);
    expect(md).toContain('| webhook-ingest | p99 latency | 72.4 ms |  |  | <= 50 ms | **MISSED** |');
    expect(md).toContain('| webhook-ingest | accepted (2xx) | 5000 deliveries |  |  | >= 5000 deliveries | ok |');
    expect(md).toContain('| webhook-ingest | p50 latency | 3.10 ms |  |  |  |  |');
    expect(md).toContain('| push.bench.ts | (bench failed) | | | | | **FAILED**: exit 1: emulator \\| refused |');
    expect(md).toMatch(/2 benches \(1 failed\), 3 figures: 1 met, 1 missed, 1 without a target/);
  });

  it('prints a bound, the ratio to it, and checks an absolute and a ratio target together', () => {
    const bound = { value: 6, what: 'export + COPY of the same rows', measured: true };
    const both = describeFigure({ name: 'first full pull', value: 11, unit: 's', target: 12, ratioTarget: 2, better: 'lower', bound });
    expect(both.ratio).toBeCloseTo(11 / 6);
    expect(both.targetText).toBe('<= 12 s and <= 2x bound');
    expect(both.met).toBe(true);
    expect(describeFigure({ ...both, value: 13 }).met).toBe(false);
    expect(describeFigure({ ...both, value: 11, bound: { ...bound, value: 5 } }).met).toBe(false);
    const ratioOnly = describeFigure({ name: 'staged', value: 130, unit: 's', ratioTarget: 1.2, better: 'lower', bound });
    expect(ratioOnly.met).toBe(false);
    const noBound = describeFigure({ name: 'x', value: 1, unit: 's', ratioTarget: 1.2, better: 'lower' });
    expect(noBound.ratio).toBeNull();
    expect(noBound.met).toBe(false);
    const md = toMarkdown(
      combine([{ file: 'bench/pull.bench.ts', status: 'passed', exitCode: 0, durationSeconds: 40, reports: [report('pull', [both])] }]),
    );
    expect(md).toContain(
      '| pull | first full pull | 11.0 s | 6.00 s (measured: export + COPY of the same rows) | 1.83x | <= 12 s and <= 2x bound | ok |',
    );
  });

  it('keeps the other benches of the kept report when a run refreshes some', () => {
    const run = (file: string, value: number, startedAt: string) => ({
      file,
      status: 'passed' as const,
      exitCode: 0,
      durationSeconds: 1,
      startedAt,
      reports: [report(file, [{ name: 'f', value, unit: 's' }])],
    });
    const kept = combine([run('bench/b.bench.ts', 1, '2026-11-01T00:00:00Z'), run('bench/a.bench.ts', 2, '2026-11-01T00:00:00Z')]);
    const merged = mergeRuns(kept, [run('bench/b.bench.ts', 3, '2026-11-02T00:00:00Z')]);
    expect(merged.runs.map((r) => [r.file, r.reports[0]!.figures[0]!.value, r.startedAt])).toEqual([
      ['bench/a.bench.ts', 2, '2026-11-01T00:00:00Z'],
      ['bench/b.bench.ts', 3, '2026-11-02T00:00:00Z'],
    ]);
    expect(toMarkdown(merged)).toContain('| bench/b.bench.ts | 2026-11-02 00:00 | 1 s | passed (node v20, 2 cpus) |');
    expect(mergeRuns(null, [run('bench/a.bench.ts', 1, 'x')]).totals.benches).toBe(1);
  });

  it('computes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeNaN();
  });
});
