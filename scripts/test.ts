/**
 * npm test: every check and test, in order, stopping at the first failure (with its exit code),
 * then a table of how long each step took, so every CI log says where the time went.
 *
 *   tsx scripts/test.ts            (what `npm test` runs)
 *
 * Each step is an npm script of package.json (the README's step table), run with its output
 * shown as it comes. The table is printed on failure too, with the step that failed.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

const STEPS = [
  'format:check',
  'typecheck',
  'test:unit',
  'models:check',
  'build',
  'test:size',
  'test:e2e',
] as const;

interface Ran {
  step: string;
  seconds: number;
  code: number;
}

/** The exit code of a finished child: its own, or 128 + the signal's number, like a shell. */
function exitCode(status: number | null, signal: NodeJS.Signals | null): number {
  if (status !== null) return status;
  return 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
}

function table(ran: Ran[], total: number): string {
  const width = Math.max(...STEPS.map((s) => s.length), 'total'.length) + 'npm run '.length;
  const row = (name: string, secs: number, note = '') =>
    `  ${name.padEnd(width)} ${secs.toFixed(1).padStart(8)} s${note ? `  ${note}` : ''}`;
  const lines = ran.map((r) =>
    row(`npm run ${r.step}`, r.seconds, r.code ? `FAILED (exit ${r.code})` : ''),
  );
  for (const s of STEPS.slice(ran.length))
    lines.push(`  ${`npm run ${s}`.padEnd(width)}        - (not run)`);
  lines.push(row('total', total));
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `\nnpm test: time per step (load average ${load} on ${os.cpus().length} CPUs)\n${lines.join('\n')}\n`;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ran: Ran[] = [];
const start = performance.now();
let code = 0;
for (const step of STEPS) {
  const t0 = performance.now();
  const child = spawnSync(npm, ['run', step], { stdio: 'inherit' });
  code = child.error ? 1 : exitCode(child.status, child.signal);
  if (child.error) console.error(`npm test: could not run npm run ${step}: ${child.error.message}`);
  ran.push({ step, seconds: (performance.now() - t0) / 1000, code });
  if (code !== 0) break;
}
console.log(table(ran, (performance.now() - start) / 1000));
process.exit(code);
