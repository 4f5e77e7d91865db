#!/usr/bin/env node
// Fails the test command when browser tests were skipped or none ran. The only skip allowed is a
// test marked "[needs Postgres]" in a run without TEST_DATABASE_URL/DATABASE_URL.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const file = process.argv[2] ?? 'test-results/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
const postgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
const problems = [];
let browserPassed = 0;

for (const suite of report.testResults) {
  const rel = path.relative(process.cwd(), suite.name);
  const e2e = rel.startsWith(`tests${path.sep}e2e${path.sep}`);
  for (const test of suite.assertionResults) {
    if (test.status === 'passed' && e2e) browserPassed++;
    if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') {
      const allowed = !postgres && test.title.includes('[needs Postgres]');
      if (!allowed) problems.push(`skipped: ${rel} > ${test.fullName}`);
    }
  }
}
if (browserPassed === 0) problems.push('no browser (e2e) test passed');
if (report.numFailedTests > 0 || report.numFailedTestSuites > 0)
  problems.push(`${report.numFailedTests} failed tests, ${report.numFailedTestSuites} failed files`);

if (problems.length) {
  console.error(`Test report check failed (${file}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `Test report check passed: ${report.numPassedTests} tests passed, ${browserPassed} of them in the browser suite, database: ${postgres ? 'Postgres' : 'PGlite'}.`,
);
