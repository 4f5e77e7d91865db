import { describe, expect, it } from 'vitest';
import { describeFigure, percentile } from '../../bench/report';
import { combine, toMarkdown } from '../../bench/summary';

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
        { file: 'bench/push.bench.ts', status: 'failed', exitCode: 1, durationSeconds: 3, reports: [], error: 'exit 1: emulator | refused' },
      ],
      new Date('2026-11-22T07:01:00Z'),
    );
    expect(combined.totals).toEqual({ benches: 2, failed: 1, figures: 3, met: 1, missed: 1, withoutTarget: 1 });
    const md = toMarkdown(combined);
    expect(md).toContain('| webhook-ingest | p99 latency | 72.4 ms | <= 50 ms | **MISSED** |');
    expect(md).toContain('| webhook-ingest | accepted (2xx) | 5000 deliveries | >= 5000 deliveries | ok |');
    expect(md).toContain('| webhook-ingest | p50 latency | 3.10 ms |  |  |');
    expect(md).toContain('| push.bench.ts | (bench failed) | | | **FAILED**: exit 1: emulator \\| refused |');
    expect(md).toMatch(/2 benches \(1 failed\), 3 figures: 1 met, 1 missed, 1 without a target/);
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
