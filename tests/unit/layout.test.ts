/**
 * The source layout's rules, read from the import statements of every .ts/.tsx/.astro file
 * under src/:
 *
 * 1. No folder imports a folder that imports it back. A folder is the directory that holds the
 *    file, so src/components/ch2 and src/components/ch2/hidden are two folders, and a cycle
 *    through any number of folders counts (a -> b -> c -> a). Every import is an edge: type-only
 *    imports, side-effect imports (CSS) and dynamic import() too.
 * 2. The runtime (src/models/runtime) runs models; it does not import a model family
 *    (src/models/names, src/models/words).
 *
 * Strict everywhere. In src/models the root holds only what every folder builds on (contract,
 * card, positions, rng); what imports the families (zoo/) lives in a folder of its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const MODELS = 'src/models';
const RUNTIME = 'src/models/runtime';
const FAMILIES = ['src/models/names', 'src/models/words'];

const rel = (abs: string): string => path.relative(ROOT, abs).split(path.sep).join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) return sourceFiles(abs);
    return /\.(ts|tsx|astro)$/.test(name) && !name.endsWith('.d.ts') ? [abs] : [];
  });
}

/**
 * The module specifiers a file imports: `import ... from 'x'`, `export ... from 'x'`,
 * `import 'x'` and `import('x')`. Only statements that start a line count, so an import quoted in
 * a doc comment does not.
 */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s+(?:type\s+)?[\w$*\s{},]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1] as string);
  return found;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.astro', '/index.ts'];

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const ext of EXTENSIONS) {
    try {
      if (statSync(base + ext).isFile()) return base + ext;
    } catch {
      // not this extension
    }
  }
  return undefined;
}

interface Edge {
  from: string;
  to: string;
  /** One file-level import behind this folder-level edge, for the message. */
  via: string;
}

interface Scan {
  edges: Edge[];
  unresolved: string[];
}

function scan(): Scan {
  const edges = new Map<string, Edge>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue; // packages and virtual modules
      const target = resolve(file, spec);
      if (!target) {
        unresolved.push(`${rel(file)}: ${spec}`);
        continue;
      }
      const from = rel(path.dirname(file));
      const to = rel(path.dirname(target));
      if (from !== to && !edges.has(`${from} ${to}`))
        edges.set(`${from} ${to}`, { from, to, via: `${rel(file)} -> ${rel(target)}` });
    }
  }
  return { edges: [...edges.values()], unresolved };
}

/** Strongly connected components with more than one folder (Tarjan): the folder cycles. */
function cycles(edges: readonly { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
}

/**
 * A folder cycle in words: its shortest loop with one import per step, then every pair of its
 * folders that import each other directly.
 */
function describeCycle(folders: string[], edges: readonly Edge[]): string {
  const inside = new Set(folders);
  const within = edges.filter((e) => inside.has(e.from) && inside.has(e.to));
  let best: Edge[] | undefined;
  for (const start of folders) {
    // Breadth-first from `start` back to itself.
    const came = new Map<string, Edge>();
    const queue = [start];
    while (queue.length > 0 && !came.has(start)) {
      const v = queue.shift() as string;
      for (const e of within.filter((x) => x.from === v)) {
        if (came.has(e.to)) continue;
        came.set(e.to, e);
        queue.push(e.to);
      }
    }
    const loop: Edge[] = [];
    for (let e = came.get(start); e && loop.length <= folders.length; e = came.get(e.from)) {
      loop.unshift(e);
      if (e.from === start) break;
    }
    if (!best || loop.length < best.length) best = loop;
  }
  const steps = best ?? [];
  // Folders that import each other directly: the usual culprits.
  const pairs = within
    .filter((e) => e.from < e.to)
    .flatMap((e) => {
      const back = within.find((x) => x.from === e.to && x.to === e.from);
      return back ? [`  ${e.from} <-> ${e.to}: ${e.via}; ${back.via}`] : [];
    });
  return [
    [...steps.map((e) => e.from), steps[0]?.from].join(' -> '),
    ...steps.map((e) => `  ${e.via}`),
    folders.length > steps.length ? `  (one loop of a cycle through ${folders.join(', ')})` : '',
    ...(pairs.length > 1 || (pairs.length === 1 && steps.length > 2) ? pairs : []),
  ]
    .filter(Boolean)
    .join('\n');
}

const inModels = (folder: string): boolean => folder === MODELS || folder.startsWith(`${MODELS}/`);

const { edges, unresolved } = scan();
const found = cycles(edges);
const strictCycles = found.filter((c) => !c.every(inModels));
const modelCycles = found.filter((c) => c.every(inModels));
const runtimeToFamily = edges.filter(
  (e) => e.from === RUNTIME && FAMILIES.some((f) => e.to === f || e.to.startsWith(`${f}/`)),
);

describe('source layout', () => {
  it('reads the imports it should (the scanner itself)', () => {
    const src = [
      "import a from './a';",
      "import type { B } from '../b';",
      'import {\n  c,\n  type C,\n} from "./c";',
      "export { d } from './d';",
      "import './e.css';",
      "const f = await import('./f');",
      " * import g from './g'; (a doc comment)",
      "const h = 'from' + './h';",
    ].join('\n');
    expect(importsOf(src)).toEqual(['./a', '../b', './c', './d', './e.css', './f']);
    expect(
      cycles([
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'c', to: 'd' },
      ]),
    ).toEqual([['a', 'b', 'c']]);
    expect(edges.length).toBeGreaterThan(20);
  });

  it('every relative import resolves to a file', () => {
    expect(unresolved).toEqual([]);
  });

  it('no folder outside src/models is in an import cycle', () => {
    expect(strictCycles.map((c) => describeCycle(c, edges))).toEqual([]);
  });

  it('src/models: no folder cycles, and the runtime imports no model family', () => {
    const modelProblems = [
      ...modelCycles.map((c) => `folder cycle ${describeCycle(c, edges)}`),
      ...runtimeToFamily.map((e) => `runtime imports a model family: ${e.via}`),
    ];
    expect(modelProblems).toEqual([]);
  });
});
