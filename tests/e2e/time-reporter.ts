/**
 * A Playwright reporter that prints where the e2e time went, after the run (next to 'list' in
 * playwright.config.ts, so every `npm test` log ends with it):
 *   - per spec file: tests, runs (retries included), the seconds its runs took (summed over
 *     workers, hooks and fixtures included) and its share of all test time;
 *   - the 10 slowest runs;
 *   - the total: wall time, summed test time, workers, and every retried (flaky or failed) test,
 *     since a retry costs a whole test again.
 * Summed test time divided by the wall time says how well the workers were kept busy.
 */
import os from 'node:os';
import path from 'node:path';
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestResult,
} from '@playwright/test/reporter';

interface Run {
  file: string;
  title: string;
  project: string;
  retry: number;
  status: TestResult['status'];
  seconds: number;
}

const secs = (s: number) => `${s.toFixed(1)} s`;

export default class TimeReporter implements Reporter {
  private runs: Run[] = [];
  private rootDir = process.cwd();
  private workers = 0;
  /** Worker slots that ran a test (fewer than configured when a run has few files). */
  private slots = new Set<number>();

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig, _suite: Suite): void {
    this.rootDir = config.rootDir;
    this.workers = config.workers;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.slots.add(result.parallelIndex);
    this.runs.push({
      file: path.relative(this.rootDir, test.location.file),
      title: `${test.title} (${path.basename(test.location.file)}:${test.location.line})`,
      project: test.parent.project()?.name ?? '',
      retry: result.retry,
      status: result.status,
      seconds: result.duration / 1000,
    });
  }

  onEnd(result: FullResult): void {
    const total = this.runs.reduce((a, r) => a + r.seconds, 0);
    const byFile = new Map<string, { tests: Set<string>; runs: number; seconds: number }>();
    for (const r of this.runs) {
      const f = byFile.get(r.file) ?? { tests: new Set<string>(), runs: 0, seconds: 0 };
      f.tests.add(`${r.project} ${r.title}`);
      f.runs += 1;
      f.seconds += r.seconds;
      byFile.set(r.file, f);
    }
    const files = [...byFile.entries()].sort((a, b) => b[1].seconds - a[1].seconds);
    const width = Math.max(20, ...files.map(([f]) => f.length));
    const lines: string[] = [];
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    lines.push('', `e2e time per spec file (load average now ${load} on ${os.cpus().length} CPUs)`);
    lines.push(`  ${'spec'.padEnd(width)}  tests   runs   test time   share`);
    for (const [file, f] of files) {
      lines.push(
        `  ${file.padEnd(width)}  ${String(f.tests.size).padStart(5)}  ${String(f.runs).padStart(5)}  ${secs(f.seconds).padStart(10)}  ${((100 * f.seconds) / (total || 1)).toFixed(1).padStart(5)}%`,
      );
    }
    lines.push('', 'slowest 10 runs');
    for (const r of [...this.runs].sort((a, b) => b.seconds - a.seconds).slice(0, 10)) {
      const retry = r.retry ? ` [retry ${r.retry}]` : '';
      lines.push(`  ${secs(r.seconds).padStart(8)}  [${r.project}] ${r.title}${retry} ${r.status}`);
    }
    const retried = this.runs.filter((r) => r.retry > 0);
    if (retried.length) {
      lines.push('', `retried (${retried.length}): each retry runs the whole test again`);
      for (const r of retried)
        lines.push(`  [${r.project}] ${r.title}: ${r.status} on retry ${r.retry}`);
    }
    const wall = result.duration / 1000;
    lines.push(
      '',
      `e2e total: ${secs(wall)} wall (${(wall / 60).toFixed(1)} min), ${secs(total)} of test time over ${this.runs.length} runs on ${this.slots.size} of ${this.workers} worker(s) (${((100 * total) / (wall * (this.slots.size || 1) || 1)).toFixed(0)}% busy), ${result.status}`,
      '',
    );
    console.log(lines.join('\n'));
  }
}
