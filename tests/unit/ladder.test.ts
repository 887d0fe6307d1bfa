/**
 * Figure 4.6's scoring (src/components/ch4/ladder/) on the real model files:
 * - a name's per-character surprisals under every names model equal the model's own
 *   probabilities: chapter 1's scoreName for the window models, the step file streamed one
 *   character at a time (nodeStep) for the recurrent ones;
 * - a phrase's per-word surprisals under the NNLM equal nodePredict on the contexts built by
 *   chapter 2's contextOf, sentence by sentence; words outside the vocabulary are <unk>;
 * - the held-out table is the cards' numbers, in ladder order, baselines included;
 * - empty input, odd Unicode and a huge paste: no throw, no NaN, the limits reported.
 */
import { describe, expect, it } from 'vitest';
import { scoreName } from '../../src/models/names/lm';
import { encodeName } from '../../src/models/names/vocab';
import { loadCard, nodePredict, nodeStep } from '../../src/models/runtime/node';
import { initialState } from '../../src/models/runtime/run';
import { Vocabulary, contextOf } from '../../src/models/words/vocab';
import { heldOutRows, nodeScorer, wordVocabulary } from '../../src/components/ch4/ladder/build';
import { LADDER, ladderModels } from '../../src/components/ch4/ladder/ladder';
import {
  MAX_WORD_TOKENS,
  readName,
  readWords,
  scoreCorpus,
} from '../../src/components/ch4/ladder/score';

const NAME = 'Zoë-Ann!';

describe('the ladder on a name', () => {
  it('scores every character with each model’s own probability', async () => {
    const text = readName(NAME);
    expect(text.tokens.map((t) => t.shown).join('')).toBe('zoann⟨end⟩');
    expect(text.dropped).toEqual(['ë', '-', '!']);
    expect(text.lowercased).toEqual(['Z', 'A']);
    for (const id of ladderModels('names')) {
      const scores = await scoreCorpus(NAME, { [id]: await nodeScorer(id) }, undefined);
      const bits = scores.bits[id]!;
      expect(bits).toHaveLength(text.tokens.length);
      const card = await loadCard(id);
      let want: number[];
      if (card.io.kind === 'window') {
        want = (await scoreName(await nodePredict(id), NAME)).predictions.map(
          (p) => p.surprisalBits,
        );
      } else {
        const step = await nodeStep(id);
        let state = initialState(step.io, 1);
        want = [];
        const ids = encodeName(NAME).ids;
        for (const [i, token] of [0, ...ids].entries()) {
          const out = await step.run([token], state);
          want.push(-Math.log2(out.probs[i < ids.length ? (ids[i] as number) : 0] as number));
          state = out.state;
        }
      }
      expect(want).toHaveLength(bits.length);
      bits.forEach((b, i) => expect(b).toBeCloseTo(want[i] as number, 5));
      for (const b of bits) expect(Number.isFinite(b) && b > 0).toBe(true);
    }
  });
});

describe('the ladder on words', () => {
  it('scores each word and each closed sentence’s end with the NNLM’s own probability', async () => {
    const vocab = new Vocabulary(await wordVocabulary());
    const raw = 'The state of our zzqxv is strong. And we';
    const text = readWords(vocab, raw);
    expect(text.unknown).toEqual(['zzqxv']);
    const unk = text.tokens.find((t) => t.typed === 'zzqxv');
    expect(unk?.shown).toBe('<unk>');
    // Two sentences: the first closed (its end is predicted), the second open.
    expect(text.seqs.map((s) => s.end)).toEqual([true, false]);
    const scores = await scoreCorpus(raw, { nnlm: await nodeScorer('nnlm') }, vocab);
    const bits = scores.bits['nnlm']!;
    const predict = await nodePredict('nnlm');
    const context = (await loadCard('nnlm')).io;
    if (context.kind !== 'window') throw new Error('nnlm is a window model');
    const want: number[] = [];
    for (const s of text.seqs) {
      const targets = s.end ? [...s.ids, 0] : s.ids;
      const contexts = targets.map((_, i) => contextOf(s.ids.slice(0, i), context.context));
      const out = await predict(contexts);
      targets.forEach((t, i) => want.push(-Math.log2(out[i * vocab.size + t] as number)));
    }
    expect(bits).toHaveLength(text.tokens.length);
    bits.forEach((b, i) => expect(b).toBeCloseTo(want[i] as number, 5));
  });

  it('streams each sentence through the word step models from the zero state', async () => {
    const vocab = new Vocabulary(await wordVocabulary());
    const raw = 'We the people. Of the zzqxv states';
    const text = readWords(vocab, raw);
    const steps = [];
    for (const id of ladderModels('words')) {
      const card = await loadCard(id);
      if (card.io.kind !== 'step') continue;
      steps.push(id);
      const bits = (await scoreCorpus(raw, { [id]: await nodeScorer(id) }, vocab)).bits[id]!;
      const step = await nodeStep(id);
      const want: number[] = [];
      for (const s of text.seqs) {
        let state = initialState(step.io, 1);
        const targets = s.end ? [...s.ids, 0] : s.ids;
        for (const [i, t] of targets.entries()) {
          const out = await step.run([i === 0 ? 0 : (s.ids[i - 1] as number)], state);
          want.push(-Math.log2(out.probs[t] as number));
          state = out.state;
        }
      }
      expect(bits).toHaveLength(text.tokens.length);
      bits.forEach((b, i) => expect(b).toBeCloseTo(want[i] as number, 5));
    }
    // The word LSTM is on the ladder as a step model.
    expect(steps).toContain('lstm-words');
  });

  it('reads empty input, odd Unicode and a huge paste without NaN, and says what it cut', async () => {
    const vocab = new Vocabulary(await wordVocabulary());
    const scorer = { nnlm: await nodeScorer('nnlm') };
    const empty = await scoreCorpus('', scorer, vocab);
    expect(empty.text.tokens).toHaveLength(0);
    expect(empty.bits['nnlm']).toEqual([]);
    const odd = await scoreCorpus('🙂 日本 \u0000 \ud800', scorer, vocab);
    for (const b of odd.bits['nnlm']!) expect(Number.isFinite(b)).toBe(true);
    const huge = await scoreCorpus('the nation '.repeat(10_000), scorer, vocab);
    expect(huge.text.cutChars).toBe(true);
    expect(huge.text.tokens.length).toBeLessThanOrEqual(MAX_WORD_TOKENS + 1);
    expect(huge.text.cut).toBeGreaterThan(0);
    for (const b of huge.bits['nnlm']!) expect(Number.isFinite(b)).toBe(true);
    const noName = await scoreCorpus('', { bigram: await nodeScorer('bigram') }, undefined);
    expect(noName.text.tokens.map((t) => t.end)).toEqual([true]);
    expect(Number.isFinite(noName.bits['bigram']![0])).toBe(true);
  });
});

describe('the held-out table', () => {
  it('is the cards’ numbers, in ladder order, with the n-gram baselines of the NNLM card', async () => {
    for (const corpus of ['names', 'words'] as const) {
      const rows = await heldOutRows(corpus);
      expect(rows).toHaveLength(LADDER[corpus].length);
      for (const [i, r] of LADDER[corpus].entries()) {
        const row = rows[i]!;
        if ('model' in r) {
          const card = await loadCard(r.model);
          expect(row).toMatchObject({
            id: r.model,
            loss: card.metrics.heldOutLoss,
            perplexity: card.metrics.heldOutPerplexity,
            runs: true,
          });
        } else {
          const b = (await loadCard(r.card)).baselines!.find((x) => x.id === r.baseline)!;
          expect(row).toMatchObject({ id: b.id, loss: b.heldOutLoss, runs: false });
        }
        // Perplexity is e to the loss in nats: the two columns agree.
        expect(Math.log(row.perplexity)).toBeCloseTo(row.loss, 6);
      }
    }
  });
});
