/**
 * npm run bench: how fast every figure of the book comes alive and responds, what it costs to
 * download, and how close in-page inference is to the limit. Prints ONE JSON document to stdout
 * (also written to bench-results/<timestamp>.json), progress and a short human summary to stderr.
 *
 * Every figure registered in src/components/figures.ts is measured, read from the build's
 * /figures.json: a new figure is benchmarked by being registered. Parts of the report:
 *
 *   figures      per figure, on its chapter page and its embed page, fresh context per load:
 *                navigation -> first contentful paint, -> the figure's build-time render on
 *                screen, -> hydrated, -> live (data-status="live"); bytes fetched before the
 *                figure activates, while it goes live and after (raw, gzip, transferred, by
 *                kind); keystroke -> redraw for every figure with a text input (scripts/bench/
 *                figures.ts and page/probe.ts define every moment);
 *   chapters     per chapter page: first contentful paint and its JS before interaction;
 *   pageJs       JS loaded before interaction by every built page (scripts/bench/pagejs.ts),
 *                against the budget of scripts/size-budget.ts;
 *   chapter1ColdBreakdown  where chapter 1's cold start goes (ORT import, wasm fetch, sessions);
 *   inference    per-model latency per call on onnxruntime-web WASM and WebGPU, and the ratio
 *                ORT-web / a plain typed-array forward pass of the same weights, in one page;
 *   embeddings   chapter 2: time to the first projection drawn (t-SNE at build, PCA in page);
 *   training     chapter 3: training steps per second in the page (scripts/bench/train.ts);
 *   models       with --models only: `npm run models` twice into temp dirs, seconds per run and
 *                per chapter, byte-identical or not (several minutes).
 *
 * Uses the built site in dist/ (runs `astro build` first if there is none; BENCH_DIST=dir for
 * another build), serves it on a loopback port, drives Chromium (CHROMIUM_PATH or
 * /usr/bin/chromium; headless WebGPU is SwiftShader on the CPU: correct, not fast). Targets are
 * reported, never asserted; every number depends on the machine's load, which is recorded.
 *
 * Options:
 *   --cold-runs N       cold loads per page (default 5)
 *   --keystrokes N      timed keystrokes per figure with a text input (default 200)
 *   --kernel-rounds N   timing rounds per model, EP and batch (default 30)
 *   --train-seconds N   seconds per training case, 0 skips training (default 5)
 *   --figure ID         only this figure (repeatable)
 *   --models            also time and compare two full model builds (minutes: the NNLM
 *                       alone took 3.7 min at load average ~3 on 2 cores, 23 min at ~20)
 *   --models-only ID    with --models: only these models (repeatable)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { cold } from './bench/cold';
import { figureBench, projections, type FigureResult, type ManifestFigure } from './bench/figures';
import { kernelBench, kernelExtras, type KernelResult } from './bench/kernel';
import { modelsBench, type ModelsResult } from './bench/models';
import { builtPages, pageJs } from './bench/pagejs';
import { serveDir } from './bench/serve';
import { summarize, type Summary } from './bench/stats';
import { trainBench } from './bench/train';
import { JS_BUDGETS_GZIP, budgetFor } from './bench/budget';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.resolve(process.env['BENCH_DIST'] ?? path.join(root, 'dist'));
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const { values } = parseArgs({
  options: {
    'cold-runs': { type: 'string', default: '5' },
    keystrokes: { type: 'string', default: '200' },
    'kernel-rounds': { type: 'string', default: '30' },
    'train-seconds': { type: 'string', default: '5' },
    figure: { type: 'string', multiple: true },
    models: { type: 'boolean', default: false },
    'models-only': { type: 'string', multiple: true },
  },
});

function count(name: string, v: string | undefined, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} wants an integer >= ${min}`);
  return n;
}

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const load1 = () => Math.round((os.loadavg()[0] ?? NaN) * 100) / 100;

/** Targets from the issues (3, 4, 6). */
const TARGETS = { chapter1ColdToLiveMs: 800, keystrokeP95Ms: 16, modelsChapter2Seconds: 240 };

async function main(): Promise<void> {
  const coldRuns = count('cold-runs', values['cold-runs']);
  const keystrokes = count('keystrokes', values.keystrokes);
  const kernelRounds = count('kernel-rounds', values['kernel-rounds']);
  const trainSeconds = count('train-seconds', values['train-seconds'], 0);

  if (!existsSync(path.join(dist, 'figures.json'))) {
    log('no build with /figures.json: running astro build');
    execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath} (npm run setup installs it)`);

  const manifest = JSON.parse(readFileSync(path.join(dist, 'figures.json'), 'utf8')) as {
    build: string;
    figures: ManifestFigure[];
  };
  const wanted = values.figure;
  const figures = wanted ? manifest.figures.filter((f) => wanted.includes(f.id)) : manifest.figures;
  if (figures.length === 0) throw new Error(`no figure matches --figure ${wanted?.join(', ')}`);

  const loadAtStart = load1();
  const started = new Date();
  const server = await serveDir(dist, 0, kernelExtras(root));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--enable-unsafe-webgpu',
    ],
  });
  try {
    const probe = await browser.newPage();
    await probe.goto(`${server.url}/`);
    const adapter = await probe.evaluate(async () => {
      const a = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
      return a
        ? {
            fallback: a.info.isFallbackAdapter,
            vendor: a.info.vendor,
            architecture: a.info.architecture,
          }
        : null;
    });
    await probe.close();

    // --- every figure ---------------------------------------------------------------------
    const figureResults = await figureBench(browser, {
      dist,
      origin: server.url,
      figures,
      coldRuns,
      keystrokes,
      log,
    });

    // --- chapter 1's cold start, broken down -----------------------------------------------
    let chapter1ColdBreakdown: Awaited<ReturnType<typeof cold>> | undefined;
    if (figures.some((f) => f.id === 'score-name')) {
      log(`chapter 1 cold breakdown x ${coldRuns}`);
      chapter1ColdBreakdown = await cold(browser, server.url, coldRuns);
    }

    // --- chapter 2: embedding explorer projections -------------------------------------------
    const emb = figures.find((f) => f.id === 'embeddings');
    let embeddings: Awaited<ReturnType<typeof projections>> | undefined;
    if (emb) {
      log(`embeddings: first projection drawn x ${coldRuns}`);
      embeddings = await projections(browser, server.url, emb, coldRuns);
    }

    // --- inference: every model a figure loads, ORT-web vs plain ----------------------------
    // The kernel bench times window models (one batch of contexts); step models (chapter 4's
    // recurrent ones) are named and left out rather than failing the whole run.
    const loaded = [...new Set(figures.flatMap((f) => f.models.map((m) => m.id)))];
    const kindOf = (id: string): string =>
      (
        JSON.parse(readFileSync(path.join(dist, 'models', `${id}.json`), 'utf8')) as {
          io: { kind: string };
        }
      ).io.kind;
    const models = loaded.filter((id) => kindOf(id) === 'window');
    const notTimed = loaded.filter((id) => !models.includes(id));
    if (notTimed.length > 0)
      log(`inference: not timed (not window models): ${notTimed.join(', ')}`);
    let inference: KernelResult | undefined;
    if (models.length > 0) {
      log(`inference: ${models.join(', ')} on WASM${adapter ? ' and WebGPU' : ''}, and plain`);
      inference = await kernelBench(browser, server.url, {
        models,
        eps: adapter ? ['wasm', 'webgpu'] : ['wasm'],
        batches: [1, 8],
        rounds: kernelRounds,
      });
    }

    // --- chapter 3: training in the page ----------------------------------------------------
    let training: Awaited<ReturnType<typeof trainBench>> | undefined;
    if (trainSeconds > 0 && figures.some((f) => f.id === 'train-mlp')) {
      training = await trainBench(browser, server.url, {
        seconds: trainSeconds,
        eps: adapter ? ['wasm', 'webgpu'] : ['wasm'],
        log,
      });
    }

    // --- JS before interaction, every built page --------------------------------------------
    const pageJsReport = builtPages(dist).map((p) => {
      const js = pageJs(dist, p);
      const budget = budgetFor(p);
      return {
        page: p,
        files: js.entry.length + js.islands.length,
        raw: js.raw,
        gzip: js.gzip,
        budgetGzip: budget.gzip,
        withinBudget: js.gzip <= budget.gzip,
      };
    });

    // --- chapters ------------------------------------------------------------------------------
    const chapterHrefs = [...new Set(figures.map((f) => f.chapter.href))];
    const chapters = chapterHrefs.map((href) => {
      const figs = figureResults.filter((f) => f.chapter === href);
      const fcp = figs.flatMap((f) => (f.cold ? [f.cold.chapter.firstContentfulPaintMs] : []));
      return {
        href,
        title: figures.find((f) => f.chapter.href === href)?.chapter.title ?? '',
        figures: figs.map((f) => f.id),
        /** Median over figures of each figure's median FCP (the same page, loaded per figure). */
        firstContentfulPaintMs: summarize(fcp.flatMap((s) => (s ? [s.median] : []))),
        jsBeforeInteraction: pageJsReport.find((p) => p.page === href) ?? null,
      };
    });

    // --- npm run models, twice -------------------------------------------------------------------
    let modelsResult: ModelsResult | { skipped: string } = {
      skipped: 'pass --models to time two full model builds and compare their bytes',
    };
    if (values.models) {
      const chapterOfModel: Record<string, string[]> = {};
      for (const f of manifest.figures)
        for (const m of f.models) {
          const list = (chapterOfModel[m.id] ??= []);
          if (!list.includes(f.chapter.href)) list.push(f.chapter.href);
        }
      modelsResult = await modelsBench(root, chapterOfModel, log, values['models-only']);
    }

    const nextWord = figureResults.find((f) => f.id === 'next-word')?.keys;
    const ch1Live = figureResults.find((f) => f.id === 'score-name')?.cold?.chapter.liveMs;
    const ch2Models =
      'runs' in modelsResult ? modelsResult.perChapterSeconds['/chapters/02-nnlm/'] : undefined;
    const report = {
      benchmark: 'npm run bench',
      date: started.toISOString(),
      durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
      build: manifest.build,
      options: {
        coldRuns,
        keystrokes,
        kernelRounds,
        trainSeconds,
        figures: wanted ?? 'all',
        models: values.models,
      },
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        // Other work on the machine inflates every number: report how busy it was.
        loadAverage1m: { start: loadAtStart, end: load1() },
        chromium: browser.version(),
        webgpuAdapter: adapter,
      },
      definitions: {
        times:
          'ms from navigation start (performance.now() in the page), medians over fresh-context loads',
        firstContentfulPaint: 'Paint Timing first-contentful-paint of the page',
        figureVisible:
          "first IntersectionObserver entry with isIntersecting for the figure's [data-figure] element: its build-time render painted",
        hydrated: "Astro's astro:hydrate event on the island holding the figure",
        live: 'data-status="live" set on the figure; liveFrame: the next animation frame after it',
        keystrokeToCommit:
          "keydown event timeStamp -> the figure's output for the new text is in the DOM (data-text equals the input's value where the figure declares data-text, else its subtree's first change)",
        keystrokeToFrame:
          'keydown -> the first animation frame callback after the commit (the frame that paints it; includes waiting for the display refresh)',
        bytes:
          'first cold load of the page, by request start time: beforeActivation < figureVisible <= activation <= liveFrame < afterLive (1 s after live); raw = file size in dist/, gzip = node:zlib level 9 of that file (the bench server does not compress), transferred = Resource Timing transferSize',
        jsBeforeInteraction:
          'module scripts and astro-island component/renderer URLs of the HTML, with their static imports (scripts/bench/pagejs.ts); gzip level 9',
        inference:
          'per call, median over rounds of >= 25 ms; runWindow of src/models/runtime/run.ts (int64 tensor in, probs copied out); plain = the exported graph interpreted with Float32Arrays (scripts/bench/page/forward.ts)',
      },
      targets: {
        ...TARGETS,
        chapter1ColdToLiveMedianMs: ch1Live?.median ?? null,
        chapter1ColdMet: ch1Live ? ch1Live.median <= TARGETS.chapter1ColdToLiveMs : null,
        nextWordKeystrokeToCommitP95Ms: nextWord?.keystrokeToCommitMs?.p95 ?? null,
        nextWordKeystrokeToFrameP95Ms: nextWord?.keystrokeToFrameMs?.p95 ?? null,
        nextWordMet: nextWord?.keystrokeToCommitMs
          ? nextWord.keystrokeToCommitMs.p95 <= TARGETS.keystrokeP95Ms
          : null,
        modelsChapter2Seconds: ch2Models ?? null,
        jsBudgetsGzip: JS_BUDGETS_GZIP,
        pagesOverJsBudget: pageJsReport.filter((p) => !p.withinBudget).map((p) => p.page),
      },
      figures: figureResults,
      chapters,
      pageJs: pageJsReport,
      chapter1ColdBreakdown: chapter1ColdBreakdown ?? null,
      inference: inference ?? null,
      embeddings: embeddings ?? null,
      training: training ?? null,
      models: modelsResult,
    };
    const json = `${JSON.stringify(report, null, 2)}\n`;
    process.stdout.write(json);
    const outDir = path.join(root, 'bench-results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, json);
    summary(report.figures, inference, embeddings, pageJsReport, modelsResult, {
      file,
      load: [loadAtStart, report.machine.loadAverage1m.end],
      chapters,
      training: training ?? [],
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

const ms = (s: Summary | null | undefined, k: 'median' | 'p95' = 'median') =>
  s ? `${Math.round(s[k])}` : '-';
const kb = (b: number) => `${(b / 1000).toFixed(0)} kB`;

function summary(
  figures: FigureResult[],
  inference: KernelResult | undefined,
  embeddings: Awaited<ReturnType<typeof projections>> | undefined,
  js: { page: string; gzip: number; budgetGzip: number }[],
  models: ModelsResult | { skipped: string },
  meta: {
    file: string;
    load: number[];
    chapters: {
      href: string;
      firstContentfulPaintMs: Summary | null;
      jsBeforeInteraction: { gzip: number } | null;
    }[];
    training: Awaited<ReturnType<typeof trainBench>>;
  },
): void {
  const out: string[] = [];
  out.push('', `summary (medians, ms from navigation; load average ${meta.load.join(' -> ')})`);
  out.push(
    'figure            chapter: visible  live | embed: visible  live | gzip before+activation | keys commit p95 / frame p95',
  );
  for (const f of figures) {
    if (!f.cold) {
      out.push(`${f.id.padEnd(17)} failed: ${f.error ?? ''}`);
      continue;
    }
    const { chapter: c, embed: e } = f.cold;
    const bytes = `${kb(e.bytes.beforeActivation.total.gzip)} + ${kb(e.bytes.activation.total.gzip)}`;
    const keys = f.keys
      ? `${ms(f.keys.keystrokeToCommitMs, 'p95')} / ${ms(f.keys.keystrokeToFrameMs, 'p95')}`
      : '';
    out.push(
      `${f.id.padEnd(17)} ${ms(c.figureVisibleMs).padStart(16)} ${ms(c.liveMs).padStart(5)} | ${ms(e.figureVisibleMs).padStart(14)} ${ms(e.liveMs).padStart(5)} | ${bytes.padStart(22)} | ${keys}`,
    );
  }
  for (const c of meta.chapters)
    out.push(
      `chapter ${c.href}: first contentful paint ${ms(c.firstContentfulPaintMs)} ms, JS before interaction ${kb(c.jsBeforeInteraction?.gzip ?? NaN)} gzip`,
    );
  const nw = figures.find((f) => f.id === 'next-word')?.keys;
  if (nw)
    out.push(
      `next-word keystroke -> redrawn p95: commit ${ms(nw.keystrokeToCommitMs, 'p95')} ms, frame ${ms(nw.keystrokeToFrameMs, 'p95')} ms (target ${TARGETS.keystrokeP95Ms} ms)`,
    );
  if (inference) {
    out.push('inference per call (ms, median): model batch  ORT-WASM  ORT-WebGPU  plain  ratio');
    for (const r of inference.ratios)
      out.push(
        `  ${r.model.padEnd(6)} ${String(r.batch).padStart(5)} ${r.ortWasmMs.toFixed(3).padStart(9)} ${(r.ortWebgpuMs?.toFixed(3) ?? '-').padStart(11)} ${r.plainMs.toFixed(3).padStart(6)} ${r.ratio.toFixed(1).padStart(6)}x  (max |diff| ${r.maxAbsDiff.toExponential(1)})`,
      );
  }
  if (embeddings)
    out.push(
      `embeddings: t-SNE (build) drawn at ${ms(embeddings.tsne.firstDrawnMs)} ms; PCA (page) cold ${ms(embeddings.pca.coldToDrawnMs)} ms, switch ${ms(embeddings.pca.switchToFrameMs)} ms`,
    );
  const worst = [...js].sort((a, b) => b.gzip / b.budgetGzip - a.gzip / a.budgetGzip)[0];
  if (worst)
    out.push(
      `JS before interaction: largest share of budget ${worst.page} ${kb(worst.gzip)} of ${kb(worst.budgetGzip)} gzip`,
    );
  for (const t of meta.training)
    out.push(
      `training ${t.ep} batch ${t.batch}: ${ms(t.stepsPerSecond)} steps/s${t.error ? ` (${t.error})` : ''}`,
    );
  if ('runs' in models)
    out.push(
      `npm run models: ${models.runs.map((r) => `${r.seconds} s`).join(', ')}; identical: ${models.identical} (.onnx: ${models.onnxIdentical})`,
    );
  out.push(`JSON: ${meta.file}`);
  process.stderr.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
