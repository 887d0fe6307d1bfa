/**
 * Figure 2.3's exercise: find a phrase after which both models put the same word first, and the
 * NNLM (four tokens of context) is surer of it than the Kneser-Ney bigram (one). Checked on the
 * two top-ten lists the figure has just drawn.
 */
import { showWord, type NextWords } from '../../../models/words/lm';
import { fmtProb } from '../../ui/format';
import type { ExerciseDef } from '../../ui/Exercise';

export const nnlmSurer: ExerciseDef<Record<string, NextWords>> = {
  id: 'nnlm-surer',
  question:
    'Find a phrase after which both models put the same word first, and the NNLM gives that word more probability than the Kneser-Ney bigram does.',
  hint: 'The bigram sees only your last word; the NNLM sees four tokens. Clicking a word appends it: look for a phrase whose last few words leave little choice.',
  waiting:
    'With the live figure, type or click words: it compares the two first choices as you go.',
  check(results) {
    const nnlm = results['nnlm']?.top[0];
    const bigram = results['ngram']?.top[0];
    if (!nnlm || !bigram)
      return { solved: false, detail: 'the two models’ predictions are missing.' };
    const both = `NNLM “${showWord(nnlm.word)}” ${fmtProb(nnlm.p)}, bigram “${showWord(bigram.word)}” ${fmtProb(bigram.p)}`;
    if (nnlm.word !== bigram.word)
      return { solved: false, detail: `${both}: different first choices.` };
    const solved = nnlm.p > bigram.p;
    return {
      solved,
      detail: `${both}: ${solved ? 'the NNLM is surer.' : 'the bigram is at least as sure.'}`,
    };
  },
};
