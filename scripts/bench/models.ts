/**
 * `npm run bench -- --models`: the full model build (`scripts/models.ts`, every model, full
 * configuration) run twice, each into a fresh temporary directory (`--out`), then every file of
 * the two outputs compared by sha256. Reports wall seconds per run, per model (from the time
 * each "== <id>" line is printed to the next), per chapter (models grouped by the chapters whose
 * figures load them, from /figures.json) and whether the two builds are byte-identical, and
 * whether they match the committed public/models. Cards record wall-clock training time, so
 * they are compared field by field too; the .onnx files are what must be identical. Takes
 * minutes (the NNLM dominates): off unless asked for; --models-only ID (repeatable) limits it.
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
  /** --models-only: the models built (all when absent). */
  only?: string[];
  files: number;
  /** Every file of the two runs has the same sha256 (and both runs succeeded). */
  identical: boolean;
  /** Every .onnx file (the weights the page runs) is byte-identical between the runs. */
  onnxIdentical: boolean;
  /** Files whose sha256 differs between the two runs (or that one run lacks). */
  differing: string[];
  /** For differing cards (.json), the JSON paths whose values differ (e.g. wall-clock timings). */
  cardDifferences: Record<string, string[]>;
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

/** JSON paths at which two parsed documents differ (at most `max`). */
function jsonDiff(a: unknown, b: unknown, at = '', out: string[] = [], max = 20): string[] {
  if (out.length >= max) return out;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      jsonDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${at}.${k}`,
        out,
        max,
      );
  } else if (a !== b) out.push(at || '.');
  return out;
}

function runOnce(
  root: string,
  out: string,
  only: string[] | undefined,
  log: (m: string) => void,
): Promise<ModelsRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const args = ['scripts/models.ts', '--out', out, ...(only ?? []).flatMap((m) => ['--only', m])];
    const child = spawn(tsx, args, {
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
  only?: string[],
): Promise<ModelsResult> {
  const dirs = [0, 1].map((i) => mkdtempSync(path.join(os.tmpdir(), `bench-models-${i}-`)));
  try {
    const runs: ModelsRun[] = [];
    for (const [i, dir] of dirs.entries()) {
      log(`models: build ${i + 1} of 2 into ${dir}${only ? ` (only ${only.join(', ')})` : ''}`);
      runs.push(await runOnce(root, dir, only, log));
    }
    const [a, b] = dirs.map(hashes) as [Map<string, string>, Map<string, string>];
    const committed = hashes(path.join(root, 'public', 'models'));
    const names = [...new Set([...a.keys(), ...b.keys()])].sort();
    const differing = names.filter((f) => a.get(f) !== b.get(f));
    const differFromCommitted = names.filter(
      (f) => a.get(f) !== committed.get(f) || b.get(f) !== committed.get(f),
    );
    const cardDifferences: Record<string, string[]> = {};
    for (const f of differing) {
      if (!f.endsWith('.json') || !a.has(f) || !b.has(f)) continue;
      const [ja, jb] = dirs.map(
        (d) => JSON.parse(readFileSync(path.join(d, f), 'utf8')) as unknown,
      ) as [unknown, unknown];
      cardDifferences[f] = jsonDiff(ja, jb);
    }
    const ok = runs.every((r) => r.exitCode === 0) && names.length > 0;
    const perChapterSeconds: Record<string, number[]> = {};
    for (const [model, chapters] of Object.entries(chapterOfModel)) {
      if (!runs.some((r) => model in r.perModelSeconds)) continue; // not built (--models-only)
      for (const ch of chapters) {
        const secs = runs.map((r) => r.perModelSeconds[model] ?? 0);
        const acc = (perChapterSeconds[ch] ??= runs.map(() => 0));
        secs.forEach((s, i) => (acc[i] = Math.round(((acc[i] ?? 0) + s) * 10) / 10));
      }
    }
    return {
      runs,
      perChapterSeconds,
      ...(only ? { only } : {}),
      files: names.length,
      identical: ok && differing.length === 0,
      onnxIdentical: ok && !differing.some((f) => f.endsWith('.onnx')),
      differing,
      cardDifferences,
      differFromCommitted,
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
