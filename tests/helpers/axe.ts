import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once from the npm package. */
let axeSource: string | undefined;
function source(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  /** The first few offending elements, as axe names them (CSS selector and a bit of HTML). */
  nodes: string[];
}

const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core in the page and returns its serious and critical violations (WCAG 2.x A and AA
 * plus best practices). The source goes in through the DevTools protocol, not a <script> tag,
 * so the app's nonce-based Content-Security-Policy does not block it and needs no exception.
 */
export async function axeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<AxeFinding[]> {
  await page.evaluate(source());
  const found = await page.evaluate(async (exclude: string[]) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeRawResult> } }).axe;
    type AxeRawResult = {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; html: string }> }>;
    };
    const result = await axe.run(
      { include: [['html']], exclude: exclude.map((s) => [s]) },
      {
        resultTypes: ['violations'],
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}  ${n.html.slice(0, 160)}`),
    }));
  }, options.exclude ?? []);
  return found.filter((f) => BLOCKING.has(f.impact));
}

/** A readable failure message: one block per violation with the elements it found. */
export function describeFindings(where: string, findings: AxeFinding[]): string {
  return findings.map((f) => `${where}: [${f.impact}] ${f.id} - ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n');
}
