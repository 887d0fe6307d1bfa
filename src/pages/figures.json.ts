/**
 * /figures.json, written at build: the figure registry (src/components/figures.ts) as data, for
 * tools that cannot import .astro files: the stress tests (tests/e2e/stress/) and the benchmark
 * suite (scripts/bench/suite.ts) iterate over it, so a new figure joins them by being registered.
 * `build` is unique per build: the tests compare the served copy with the file on disk to be
 * sure they test the build they mean to.
 */
import { randomUUID } from 'node:crypto';
import { FIGURES } from '../components/figures';
import { modelInfos } from '../components/ui/build';

export interface FigureManifestEntry {
  id: string;
  number: string;
  title: string;
  caption: string;
  chapter: { href: string; title: string };
  /** The model files it loads (public/models/<id>.onnx) and their sha256 from the cards. */
  models: { id: string; sha256: string }[];
  /** 'onnxruntime' (status strip, runtime faults apply) or 'page' (plain TS on shipped data). */
  runtime: 'onnxruntime' | 'page';
  /** The default state as a query string (parse(serialize(defaults)) is the default). */
  defaultQuery: string;
  embed: string;
  /** The fixed height of its copied iframe, in CSS pixels (FigureMeta.embedHeight). */
  embedHeight: number;
}

export interface FigureManifest {
  build: string;
  figures: FigureManifestEntry[];
}

export async function GET(): Promise<Response> {
  const figures: FigureManifestEntry[] = [];
  for (const fig of Object.values(FIGURES)) {
    const models = await modelInfos(fig.models);
    figures.push({
      id: fig.id,
      number: fig.number,
      title: fig.title,
      caption: fig.caption,
      chapter: fig.chapter,
      models: models.map((m) => ({ id: m.id, sha256: m.sha256 })),
      runtime: fig.runtime,
      // FIGURES mixes state types; each entry's serialize takes its own defaults.
      defaultQuery: (fig.serialize as (s: unknown) => URLSearchParams)(fig.defaults).toString(),
      embed: `${import.meta.env.BASE_URL}embed/${fig.id}/`,
      embedHeight: fig.embedHeight,
    });
  }
  const body: FigureManifest = { build: `${new Date().toISOString()} ${randomUUID()}`, figures };
  return new Response(JSON.stringify(body, null, 2), {
    headers: { 'content-type': 'application/json' },
  });
}
