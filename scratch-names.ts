import { gpt } from './src/models/gpt/model';
import { inspectGraph } from './src/models/gpt/graphs';
import { splits } from './src/models/names/build';
import { packedRows } from './src/models/positions';
import { packedSet } from './src/models/train/packed';
import { withDropout } from './src/models/train/dropout';
import { train } from './src/models/train/trainer';
const [width, layers, heads, mlp, steps, lr, batch, dropout] = process.argv.slice(2).map(Number);
const s = splits();
const m = inspectGraph(gpt({ vocab: 27, context: 16, layers: layers!, heads: heads!, width: width!, mlp: mlp!, embedInit: 0.1, seed: 3, dropout }), 'float32', { dropout: dropout! > 0, packed: true });
const w = (set: any, r: number) => (dropout! > 0 ? withDropout(set, m.masks, width!, r, 3) : set);
const r = await train(m, { train: w(packedSet(packedRows(s.seqs.train, 16)), dropout!), heldOut: w(packedSet(packedRows(s.seqs.heldOut, 16)), 0) },
  { steps: steps!, batch: batch!, lr: lr!, lrMin: lr! / 30, seed: 7, evalEvery: 100, keepBest: true, log: () => {}, trainSample: w(packedSet(packedRows(s.seqs.train, 16)), 0) });
const best = Math.min(...r.curve.map((c) => c.heldOut ?? 9));
console.log(JSON.stringify({ width, layers, heads, mlp, steps, lr, batch, dropout, best, kept: r.keptStep, sec: r.seconds.toFixed(0), last: r.curve.at(-1) }));
