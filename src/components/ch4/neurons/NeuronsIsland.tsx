/**
 * Figure "neurons" (island): the units the model build found (card.neurons: for each feature of
 * the text, the units whose value correlates most with it on held-out addresses), and the
 * reader's text coloured by any unit. Typing reads only the new characters: the states after
 * the unchanged beginning of the text are kept. Switching units runs nothing: every unit's value
 * after every character is already there.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { NeuronScore } from '../../../models/card';
import type { Out } from '../../../models/contract';
import { CharVocab } from '../../../models/rnn/char-vocab';
import { readHidden } from '../../../models/rnn/generate';
import { liveModel } from '../../../models/runtime/web';
import { FigureBar } from '../../ui/FigureBar';
import { fmtInt, listChars, showChar } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { TEXT_MAX, UNITS, neuronsMeta as meta, type NeuronsState } from './meta';

interface Props {
  models: ModelInfo[];
  vocabulary: string[];
  neurons: NeuronScore[];
  /** The build-time render: the default unit's value after each character of the default text. */
  initial: { state: NeuronsState; values: number[] };
  embed?: boolean;
}

interface Read {
  ids: number[];
  states: Record<string, Out>[];
  hidden: Float32Array[];
}

/** Red for positive, blue for negative, as strong as |value| (a unit's value lies in -1..1). */
function colour(v: number): string {
  const a = Math.min(1, Math.abs(v)) * 0.75;
  return v >= 0 ? `rgb(210 60 50 / ${a.toFixed(3)})` : `rgb(59 110 200 / ${a.toFixed(3)})`;
}

/** A character in words for the text alternative, with a little of the text before it. */
function where(text: string, i: number): string {
  const before = text.slice(Math.max(0, i - 8), i);
  return `“${before}${text[i] ?? ''}” (${showChar(text[i] ?? '')})`;
}

export default function NeuronsIsland({
  models,
  vocabulary,
  neurons,
  initial,
  embed = false,
}: Props) {
  const vocab = useMemo(() => new CharVocab(vocabulary), [vocabulary]);
  const [text, setText] = useState(initial.state.text);
  const { state, set, status, markLive, bar } = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
    onUrlState: (s) => setText(s.text),
  });
  const unit = state.unit < 0 ? (neurons[0]?.unit ?? 0) : state.unit;
  const enc = vocab.encode(text.slice(0, TEXT_MAX));
  const [read, setRead] = useState<{ kept: string; hidden: Float32Array[] | undefined }>({
    kept: vocab.encode(initial.state.text).kept,
    hidden: undefined,
  });
  const last = useRef<Read>({ ids: [], states: [], hidden: [] });

  const submit = useMemo(
    () =>
      latestOnly(async (t: string) => {
        const model = models[0];
        if (!model) return;
        const { runner } = await liveModel(model);
        const { ids, kept } = vocab.encode(t.slice(0, TEXT_MAX));
        let common = 0;
        const prev = last.current;
        while (common < ids.length && common < prev.ids.length && ids[common] === prev.ids[common])
          common++;
        const out = await readHidden(
          (token, st, internals) => runner.step(token, st, internals),
          runner.initialState(1),
          ids,
          { states: prev.states.slice(0, common), hidden: prev.hidden.slice(0, common) },
        );
        last.current = { ids, ...out };
        setRead({ kept, hidden: out.hidden });
        markLive();
      }),
    [models, vocab],
  );
  const textNow = useRef(text);
  textNow.current = text;
  // Read the text when live, and from scratch when the model moves to another EP (not when the
  // status strip's notes change).
  const runningOn = status.kind === 'live' ? Object.values(status.eps)[0]?.ep : undefined;
  useEffect(() => {
    last.current = { ids: [], states: [], hidden: [] };
    if (runningOn) submit(textNow.current);
  }, [runningOn, submit]);
  const edit = (t: string): void => {
    textNow.current = t;
    setText(t);
    set({ text: t.slice(0, TEXT_MAX) });
    if (status.kind === 'live') submit(t);
  };

  const values: number[] = read.hidden
    ? read.hidden.map((h) => h[unit] ?? 0)
    : state.unit === initial.state.unit
      ? initial.values
      : [];
  const chars = Array.from(read.kept);
  const listed = neurons.findIndex((n) => n.unit === unit);
  const label = listed >= 0 ? (neurons[listed] as NeuronScore) : undefined;

  // The text alternative: where the unit is highest and lowest.
  const order = values.map((_, i) => i).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0));
  const summary =
    values.length === 0
      ? 'No characters to colour.'
      : `Unit ${unit} over ${fmtInt(values.length)} characters, from ${Math.min(...values).toFixed(2)} to ${Math.max(...values).toFixed(2)}. ` +
        `Highest after ${order
          .slice(0, 3)
          .map((i) => where(read.kept, i))
          .join(', ')}; lowest after ${order
          .slice(-3)
          .reverse()
          .map((i) => where(read.kept, i))
          .join(', ')}.`;

  const pick = (u: number): void => set({ unit: Math.max(0, Math.min(UNITS - 1, u)) });
  const onRowsKey = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const n = neurons.length;
    const at = listed < 0 ? 0 : listed;
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? n - 1
          : (at + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
    pick((neurons[next] as NeuronScore).unit);
  };

  return (
    <div
      class="fig-body neurons"
      data-figure="neurons"
      data-status={status.kind}
      data-unit={unit}
      data-text={read.kept}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Your text</span>
          <input
            type="text"
            value={text}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => edit(e.currentTarget.value)}
          />
        </label>
        <label class="fig-field">
          <span>Unit (0–{UNITS - 1})</span>
          <input
            type="number"
            min={0}
            max={UNITS - 1}
            step={1}
            value={unit}
            class="fig-seed"
            data-role="unit"
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 0 && v < UNITS) pick(v);
            }}
          />
        </label>
      </div>
      {(enc.skipped.length > 0 || text.length > TEXT_MAX) && (
        <p class="neurons__note" role="status" data-role="skipped">
          {text.length > TEXT_MAX && `Only the first ${fmtInt(TEXT_MAX)} characters are read. `}
          {enc.skipped.length > 0 &&
            `Not in the model’s alphabet, so skipped: ${listChars(enc.skipped)}.`}
        </p>
      )}
      <div class="neurons__layout">
        <div class="neurons__units">
          <table>
            <caption class="fig-sr-only">
              Units found by correlation with features of held-out text; choose one with the arrow
              keys
            </caption>
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Unit</th>
                <th scope="col">r</th>
              </tr>
            </thead>
            <tbody
              tabIndex={0}
              role="listbox"
              aria-label="Units found by correlation; arrow keys choose"
              aria-activedescendant={listed >= 0 ? `neurons-row-${listed}` : undefined}
              onKeyDown={onRowsKey}
            >
              {neurons.map((n, i) => (
                <tr
                  key={i}
                  id={`neurons-row-${i}`}
                  role="option"
                  aria-selected={i === listed}
                  data-unit={n.unit}
                  onClick={() => pick(n.unit)}
                >
                  <td>{n.label}</td>
                  <td class="num">{n.unit}</td>
                  <td class="num">{n.r.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <p class="neurons__legend">
            Unit {unit}
            {label
              ? `: ${label.label} (r = ${label.r.toFixed(2)} on held-out text)`
              : ' (not in the list)'}
            . <span class="neurons__scale" aria-hidden="true" /> −1 … +1
          </p>
          <p class="neurons__text" data-role="coloured" aria-hidden="true">
            {chars.map((c, i) => {
              const v = values[i];
              return (
                <span
                  key={i}
                  style={v === undefined ? undefined : { background: colour(v) }}
                  title={v === undefined ? undefined : `${showChar(c)}: ${v.toFixed(2)}`}
                  data-v={v === undefined ? undefined : v.toFixed(3)}
                >
                  {c}
                </span>
              );
            })}
          </p>
          <p class="fig-sr-only" data-role="summary">
            {summary}
          </p>
        </div>
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
