/**
 * Figure 1.2's exercise: find a name the bigram model finds less surprising than the MLP does.
 * Checked on the surprisals the figure has just drawn (the table's totals), never on a list.
 */
import type { NameScore } from '../../../models/names/lm';
import { fmtFixed } from '../../ui/format';
import type { ExerciseDef } from '../../ui/Exercise';

/** Surprisal of the whole name in bits: −log₂ P, the table's log P(name) without its sign. */
const bits = (s: NameScore): number => -s.logProbBits;

export const bigramBeatsMlp: ExerciseDef<Record<string, NameScore>> = {
  id: 'bigram-beats-mlp',
  question:
    'The MLP reads three characters, the bigram only one, and on held-out names the MLP is the less surprised of the two. Find a name the bigram model finds less surprising than the MLP does.',
  hint: 'The MLP learned what real names look like, three letters at a time. Try something no name looks like: very short, or letters that rarely meet.',
  waiting: 'With the live figure, type a name: it compares the two totals as you type.',
  check(scores) {
    const bigram = scores['bigram'];
    const mlp = scores['mlp'];
    if (!bigram || !mlp) return { solved: false, detail: 'the bigram and MLP scores are missing.' };
    if (bigram.scored.length === 0) return { solved: false, detail: 'type a name (letters a–z).' };
    const b = bits(bigram);
    const m = bits(mlp);
    const solved = b < m;
    // A long name is cut in the message (the table shows it whole), so the line keeps its height.
    const name = bigram.scored.length > 12 ? `${bigram.scored.slice(0, 11)}…` : bigram.scored;
    return {
      solved,
      detail: `“${name}”, surprisal: bigram ${fmtFixed(b)} bits, MLP ${fmtFixed(m)} bits.`,
    };
  },
};
