/**
 * Build-time helpers for the .astro figure wrappers (Node only: never import from an island).
 */
import { loadCard } from '../../models/runtime/node';
import type { ModelId } from '../../models/contract';
import type { ModelInfo } from './models';

export async function modelInfos(ids: readonly ModelId[]): Promise<ModelInfo[]> {
  return Promise.all(
    ids.map(async (id) => {
      const card = await loadCard(id);
      return { id, title: card.title, sha256: card.file.sha256, io: card.io };
    }),
  );
}

export type BuildResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Run a build-time computation for a figure. If the model files are missing (e.g. before
 * `npm run models` has run) the page still builds: the figure says what is missing, and the
 * build log warns. Set STRICT_FIGURES=1 to make that an error instead.
 */
export async function atBuild<T>(figure: string, fn: () => Promise<T>): Promise<BuildResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (process.env['STRICT_FIGURES'])
      throw new Error(`figure ${figure}: ${message}`, { cause: e });
    console.warn(`[figures] ${figure}: static render skipped: ${message}`);
    return { ok: false, message };
  }
}
