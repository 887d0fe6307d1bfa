/**
 * Figure "ladder-all": the book's ladder complete, every model of chapters 1 to 5 on one text.
 * Chapter 4's ladder figure (ch4/ladder) drawn with every rung (LADDER_ALL); the same state
 * (a name and a phrase) and URL codec as figure 4.6.
 */
import { LADDER_ALL, ladderModels } from '../../ch4/ladder/ladder';
import { ladderMeta, type LadderState } from '../../ch4/ladder/meta';
import { CHAPTER_5 } from '../../ui/chapters';
import type { FigureMeta } from '../../ui/meta';

export const ladderAllMeta: FigureMeta<LadderState> = {
  ...ladderMeta,
  id: 'ladder-all',
  number: '5.6',
  title: 'The ladder: every model of the book on your text',
  caption:
    'Type a text once and every model of the book scores it: a name under the character models from the unigram counts to the GPT, a phrase under the word models from the Kneser-Ney n-grams to the GPT, the surprisal of each prediction in bits (−log₂ p; the bar is its size), and under each panel the held-out loss and perplexity from each model’s card. The held-out numbers are averages over thousands of names or sentences none of the models trained on; your text is one more.',
  chapter: CHAPTER_5,
  models: ladderModels(undefined, LADDER_ALL),
  embedHeight: 1470,
  teaching: {
    shows:
      'The whole book in one picture: counting, a fixed window, recurrence and attention, each a rung up the same ladder, scored on the same predictions of the same text.',
    lesson:
      'Have students type a name and a long sentence and find where the GPT gains most over the LSTM and where it does not: which predictions need to look far back, and which only need the last word or two?',
    exercise:
      'Find a sentence on which the GPT is more surprised in total than the Kneser-Ney trigram, then explain from the rows which predictions make the difference and why the held-out table still ranks them the other way.',
  },
};
