/**
 * /data/names-splits.json, written at build: the train and held-out names (space-separated)
 * that chapter 3's figures train and evaluate on in the page, exactly names/data.ts's splits.
 * About 60 kB; the page turns names into (context, next) examples itself (names/mlp-lab.ts).
 */
import { loadNames } from '../../models/names/data';

export function GET(): Response {
  const c = loadNames();
  const body = { splitSeed: c.splitSeed, train: c.train.join(' '), heldOut: c.heldOut.join(' ') };
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
}
