/**
 * `npm run bench -- --models`: the full model build (`scripts/models.ts`, every model, full
 * configuration) run twice, each into a fresh temporary directory (`--out`), then every file of
 * the two outputs compared by sha256. Reports wall seconds per run, per model (from the time
 * each "== <id>" line is printed to the next), per chapter (models grouped by the chapters whose
 * figures load them, from /figures.json) and whether the two builds are byte-identical, and
 * whether they match the committed public/models. Takes minutes: off unless asked for.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ModelsRun {
  seconds: number;
  perModelSeconds: Record<string, number>;
  exitCode: number;
}

export interface ModelsResult {
  runs: ModelsRun[];
  /** Seconds per chapter (its models' build time), per run. */
  perChapterSeconds: Record<string, number[]>;
  files: number;
  identical: boolean;
  /** Files whose sha256 differs between the two runs. */
  differing: string[];
  /** Files of the runs that differ from public/models (committed). */
  differFromCommitted: string[];
}

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).sort())
    out.set(
      f,
      createHash('sha256')
        .update(readFileSync(path.join(dir, f)))
        .digest('hex'),
    );
  return out;
}

function runOnce(root: string, out: string, log: (m: string) => void): Promise<ModelsRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, ['scripts/models.ts', '--out', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const starts: [string, number][] = [];
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^== (\S+)/.exec(line);
        if (m) {
          starts.push([m[1] as string, performance.now()]);
          log(`models: ${m[1]}`);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const end = performance.now();
      const perModelSeconds: Record<string, number> = {};
      starts.forEach(([id, t], i) => {
        const next = starts[i + 1]?.[1] ?? end;
        perModelSeconds[id] = Math.round((next - t) / 100) / 10;
      });
      resolve({
        seconds: Math.round((end - t0) / 100) / 10,
        perModelSeconds,
        exitCode: code ?? -1,
      });
    });
  });
}

export async function modelsBench(
  root: string,
  chapterOfModel: Record<string, string[]>,
  log: (m: string) => void,
): Promise<ModelsResult> {
  const dirs = [0, 1].map((i) => mkdtempSync(path.join(os.tmpdir(), `bench-models-${i}-`)));
  try {
    const runs: ModelsRun[] = [];
    for (const [i, dir] of dirs.entries()) {
      log(`models: full build ${i + 1} of 2 into ${dir}`);
      runs.push(await runOnce(root, dir, log));
    }
    const [a, b] = dirs.map(hashes) as [Map<string, string>, Map<string, string>];
    const committed = hashes(path.join(root, 'public', 'models'));
    const names = [...new Set([...a.keys(), ...b.keys()])].sort();
    const differing = names.filter((f) => a.get(f) !== b.get(f));
    const differFromCommitted = names.filter(
      (f) => a.get(f) !== committed.get(f) || b.get(f) !== committed.get(f),
    );
    const perChapterSeconds: Record<string, number[]> = {};
    for (const [model, chapters] of Object.entries(chapterOfModel))
      for (const ch of chapters) {
        const secs = runs.map((r) => r.perModelSeconds[model] ?? 0);
        const acc = (perChapterSeconds[ch] ??= runs.map(() => 0));
        secs.forEach((s, i) => (acc[i] = Math.round(((acc[i] ?? 0) + s) * 10) / 10));
      }
    return {
      runs,
      perChapterSeconds,
      files: names.length,
      identical: runs.every((r) => r.exitCode === 0) && names.length > 0 && differing.length === 0,
      differing,
      differFromCommitted,
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
