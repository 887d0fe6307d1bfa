/**
 * Chapter 5's weights module (src/components/ch5/weights.ts) on the committed models: the first
 * layer's attention redone in TypeScript from the weights in the .onnx file must be the model's
 * own `attention` output (onnxruntime-node) for every head and query, on both GPTs; the position
 * similarities must be cosines.
 */
import { describe, expect, it } from 'vitest';
import { fileWeights } from '../../src/components/ch5/build';
import { readSentence } from '../../src/models/words/lm';
import { cosineMatrix, LAYER0_WEIGHTS, layer0Head } from '../../src/components/ch5/weights';
import { loadCard, nodeSequence } from '../../src/models/runtime/node';
import { Vocabulary } from '../../src/models/words/vocab';

/** float32 graph against float64 arithmetic, one layer deep. */
const TOL = 1e-5;

async function agree(id: string, ids: number[]): Promise<number> {
  const card = await loadCard(id);
  const heads = Number(card.config['heads']);
  const w = await fileWeights(id, LAYER0_WEIGHTS);
  const att = (await (await nodeSequence(id)).run([ids], ['attention']))['attention']!;
  const T = ids.length;
  expect(att.dims).toEqual([1, Number(card.config['layers']), heads, T, T]);
  let worst = 0;
  for (let h = 0; h < heads; h++)
    for (let q = 0; q < T; q++) {
      const s = layer0Head(w, heads, ids, h, q);
      const at = (h * T + q) * T;
      s.weights.forEach((x, j) => {
        if (j > q) expect(x).toBe(0);
        worst = Math.max(worst, Math.abs(x - (att.data[at + j] as number)));
      });
      expect(Math.abs(s.weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      expect(s.scaled[0]).toBeCloseTo((s.scores[0] as number) / Math.sqrt(s.d), 12);
    }
  return worst;
}

describe('ch5 weights: layer 0 attention from the weights', () => {
  it('is gpt-words’ own attention, every head and query, on a sentence with an unknown word', async () => {
    const card = await loadCard('gpt-words');
    const read = readSentence(
      new Vocabulary(card.vocabulary),
      'The frobnicated treasury reports a surplus of $1,000 this year.',
      Number(card.config['context']),
    );
    expect(read.unknown).toContain('frobnicated');
    expect(read.words[0]).toBe('<s>');
    expect(await agree('gpt-words', read.ids)).toBeLessThan(TOL);
  });

  it('is gpt-names’ own attention on a name (characters, "." first)', async () => {
    const card = await loadCard('gpt-names');
    const ids = ['.', ...'maximilian'].map((c) => card.vocabulary.indexOf(c));
    expect(ids.every((i) => i >= 0)).toBe(true);
    expect(await agree('gpt-names', ids)).toBeLessThan(TOL);
  });

  it('reads a long sentence as its last window of the context', async () => {
    const card = await loadCard('gpt-words');
    const context = Number(card.config['context']);
    const text = Array.from({ length: 3 * context }, () => 'nation').join(' ');
    const read = readSentence(new Vocabulary(card.vocabulary), `First. ${text}`, context);
    expect(read.ids).toHaveLength(context);
    expect(read.cut).toBe(context * 2 + 1);
    expect(read.earlierSentences).toBe(1);
  });
});

describe('ch5 weights: position similarities', () => {
  it('are cosines: 1 on the diagonal, symmetric, within [-1, 1]', async () => {
    for (const id of ['gpt-words', 'gpt-names']) {
      const pos = (await fileWeights(id, ['pos'])).get('pos')!;
      const n = pos.dims[0] as number;
      const cos = cosineMatrix(pos);
      for (let i = 0; i < n; i++) {
        expect(cos[i * n + i]).toBeCloseTo(1, 12);
        for (let j = 0; j < n; j++) {
          expect(cos[i * n + j]).toBeCloseTo(cos[j * n + i] as number, 12);
          expect(Math.abs(cos[i * n + j] as number)).toBeLessThanOrEqual(1 + 1e-12);
        }
      }
    }
  });
});
