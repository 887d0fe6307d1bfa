/**
 * Figure "backprop-graph" (island). The graph is built with our builder in the page (and at
 * build time, for the static render); values and gradients come from one onnxruntime run of
 * the exported graph; stepping only reveals them. "Check" runs the loss graph twice more.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { glyph, num } from '../../ui/format';
import { FigureBar } from '../../ui/FigureBar';
import type { RunnerFactory } from '../../ui/pageGraphs';
import { useFigure } from '../../ui/useFigure';
import type { GraphRunner } from '../../../models/train/step';
import { VOCAB } from '../../../models/names/vocab';
import { describeStep } from './describe';
import { GraphView } from './GraphView';
import { backpropGraphMeta as meta, type BackpropGraphState } from './meta';
import { stepView } from './steps';
import {
  EXPR_INPUTS,
  exprFeeds,
  finiteDifference,
  gradOut,
  mlpFeeds,
  runTrace,
  traceGraph,
  type ExampleKind,
  type FdCheck,
  type MlpExample,
  type TraceGraph,
  type TraceResult,
} from './trace';

interface Props {
  initial: { state: BackpropGraphState; result: TraceResult };
  examples: MlpExample[];
  embed?: boolean;
  /** Prefix of the ids inside the drawing, unique per instance on a page. */
  idPrefix?: string;
}

/** What the values depend on (not the step). */
const dataKey = (s: BackpropGraphState): string =>
  s.ex === 'expr' ? `expr:${s.a},${s.b},${s.c},${s.d}` : `mlp:${s.i}`;

const graphs = new Map<ExampleKind, TraceGraph>();
function graphFor(kind: ExampleKind): TraceGraph {
  let g = graphs.get(kind);
  if (!g) graphs.set(kind, (g = traceGraph(kind)));
  return g;
}

function exampleText(ex: MlpExample): string {
  return `${ex.ctx.map((id) => glyph(VOCAB[id] ?? '?')).join('')} → ${glyph(VOCAB[ex.target] ?? '?')}`;
}

interface Runners {
  trace: Record<ExampleKind, GraphRunner>;
  loss: Record<ExampleKind, GraphRunner>;
}

/** Both examples' trace and loss graphs, as sessions on one EP. */
async function loadRunners(make: RunnerFactory): Promise<Runners> {
  const kinds: ExampleKind[] = ['expr', 'mlp'];
  const trace = {} as Record<ExampleKind, GraphRunner>;
  const loss = {} as Record<ExampleKind, GraphRunner>;
  for (const k of kinds) {
    trace[k] = await make(`trace-${k}`, () => graphFor(k).bytes);
    loss[k] = await make(`trace-loss-${k}`, () => graphFor(k).lossBytes);
  }
  return { trace, loss };
}

export default function BackpropGraphIsland({
  initial,
  examples,
  embed = false,
  idPrefix = 'bg',
}: Props) {
  const {
    state,
    set,
    status,
    value: runners,
    markLive,
    bar,
  } = useFigure(meta, {
    initial: initial.state,
    embed,
    graphs: { label: 'this graph', load: loadRunners },
  });
  const [drawn, setDrawn] = useState<{
    key: string;
    result: TraceResult;
    raw?: Record<string, Float64Array>;
  }>({
    key: dataKey(initial.state),
    result: initial.result,
  });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [check, setCheck] = useState<FdCheck | { error: string } | undefined>(undefined);
  const [index, setIndex] = useState<number | undefined>(undefined);

  const tg = useMemo(() => graphFor(state.ex), [state.ex]);

  const example = examples[Math.min(state.i, examples.length - 1)] ?? { ctx: [0, 0, 0], target: 0 };
  const feeds = useMemo(
    () => (state.ex === 'expr' ? exprFeeds(state) : mlpFeeds(tg, example)),
    [dataKey(state), tg],
  );

  // Recompute values and gradients whenever the inputs change (and once on going live).
  useEffect(() => {
    if (!runners) return;
    let cancelled = false;
    const key = dataKey(state);
    runTrace(runners.trace[state.ex], tg, feeds)
      .then(({ result, raw }) => {
        if (cancelled) return;
        setDrawn({ key, result, raw });
        markLive();
      })
      .catch((e: unknown) => console.warn(e));
    return () => {
      cancelled = true;
    };
  }, [runners, feeds]);

  useEffect(() => setCheck(undefined), [dataKey(state), selected, index]);

  const fresh = drawn.key === dataKey(state);
  const result = fresh ? drawn.result : undefined;
  const view = stepView(tg.layout, state.step);
  const go = (step: number) => set({ step: Math.max(0, Math.min(view.total, step)) });

  // The "check" target: the selected leaf, or the first differentiable leaf.
  const leaf =
    tg.leaves.find((l) => l.id === selected) ??
    tg.leaves.find((l) => l.id === (state.ex === 'expr' ? 'a' : 'W1')) ??
    tg.leaves[0];
  const gradData = leaf && drawn.raw && fresh ? drawn.raw[gradOut(leaf.id)] : undefined;
  const size = leaf ? leaf.shape.reduce((p, q) => p * q, 1) : 1;
  const defaultIndex = useMemo(() => {
    if (!gradData) return 0;
    let best = 0;
    for (let i = 0; i < gradData.length; i++)
      if (Math.abs(gradData[i] as number) > Math.abs(gradData[best] as number)) best = i;
    return best;
  }, [gradData]);
  const at = Math.min(index ?? defaultIndex, size - 1);

  const runCheck = async () => {
    if (!runners || !leaf || !gradData) return;
    try {
      setCheck(
        await finiteDifference(runners.loss[state.ex], feeds, leaf.id, at, gradData[at] as number),
      );
    } catch (e) {
      setCheck({ error: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div
      class="fig-body backprop-graph"
      data-figure="backprop-graph"
      data-status={status.kind}
      data-ex={state.ex}
      data-step={view.step}
      data-fresh={fresh ? '1' : '0'}
    >
      <div class="fig-controls">
        <label class="fig-field">
          <span>Graph</span>
          <select
            value={state.ex}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v === 'expr' || v === 'mlp') set({ ex: v, step: -1 });
              setSelected(undefined);
              setIndex(undefined);
            }}
          >
            <option value="expr">L = tanh(a·b + c)·d</option>
            <option value="mlp">The names MLP, one training example</option>
          </select>
        </label>
        {state.ex === 'expr' ? (
          EXPR_INPUTS.map((k) => (
            <label class="fig-field" key={k}>
              <span>{k}</span>
              <input
                type="number"
                step={0.1}
                min={-10}
                max={10}
                value={state[k]}
                class="bg-num"
                data-input={k}
                onInput={(e) => {
                  const v = Number(e.currentTarget.value);
                  if (Number.isFinite(v) && Math.abs(v) <= 10) set({ [k]: v });
                }}
              />
            </label>
          ))
        ) : (
          <label class="fig-field">
            <span>Example (context → next)</span>
            <select
              value={String(state.i)}
              onChange={(e) => set({ i: Number(e.currentTarget.value) })}
              data-input="example"
            >
              {examples.map((ex, i) => (
                <option value={String(i)} key={i}>
                  {exampleText(ex)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div class="fig-controls bg-steps" role="group" aria-label="Step through the passes">
        <button
          type="button"
          class="fig-button"
          onClick={() => go(0)}
          disabled={view.step === 0}
          data-action="start"
        >
          |◀ Start
        </button>
        <button
          type="button"
          class="fig-button"
          onClick={() => go(view.step - 1)}
          disabled={view.step === 0}
          data-action="back"
        >
          ◀ Back
        </button>
        <button
          type="button"
          class="fig-button fig-button--primary"
          onClick={() => go(view.step + 1)}
          disabled={view.step === view.total}
          data-action="next"
        >
          {view.step < view.total / 2 ? 'Forward ▶' : 'Backward ▶'}
        </button>
        <button
          type="button"
          class="fig-button"
          onClick={() => go(view.total)}
          disabled={view.step === view.total}
          data-action="end"
        >
          All ▶|
        </button>
        <span class="fig-note" data-role="progress">
          Step {view.step} of {view.total} (
          {view.phase === 'start' ? 'not started' : `${view.phase} pass`})
          {fresh ? '' : ' · computing…'}
        </span>
      </div>
      <p class="bg-describe" aria-live="polite" data-role="describe">
        {describeStep(tg.layout, view, result, tg.scalar)}
      </p>
      <div class="bg-scroll fig-scroll-x">
        <GraphView
          idPrefix={idPrefix}
          layout={tg.layout}
          result={result}
          view={view}
          scalar={tg.scalar}
          selected={leaf?.id}
          onSelect={(id) =>
            tg.leaves.some((l) => l.id === id) && (setSelected(id), setIndex(undefined))
          }
          formatInts={(id, vs) =>
            id === 'ctx' || id === 'targets'
              ? `${id === 'targets' ? 'next: ' : ''}${vs.map((v) => glyph(VOCAB[v] ?? '?')).join(' ')}`
              : vs.join(' ')
          }
        />
      </div>
      {state.ex === 'mlp' && result?.grads['C']?.rowNorms && view.hasGrad('C') && (
        <p class="fig-note" data-role="c-rows">
          ∂L/∂C is zero except in the rows of the characters in the context:{' '}
          {result.grads['C'].rowNorms
            .map((r, i) => (r > 0 ? `${glyph(VOCAB[i] ?? '?')} (‖·‖ ${num(r)})` : ''))
            .filter((s) => s)
            .join(', ')}
          .
        </p>
      )}
      <div class="fig-controls bg-check">
        <label class="fig-field">
          <span>Check the gradient of</span>
          <select
            value={leaf?.id ?? ''}
            onChange={(e) => (setSelected(e.currentTarget.value), setIndex(undefined))}
            data-input="leaf"
          >
            {tg.leaves.map((l) => (
              <option value={l.id} key={l.id}>
                {l.id}
              </option>
            ))}
          </select>
        </label>
        {size > 1 && (
          <label class="fig-field">
            <span>entry (0–{size - 1})</span>
            <input
              type="number"
              min={0}
              max={size - 1}
              step={1}
              value={at}
              class="bg-num"
              data-input="entry"
              onInput={(e) => {
                const v = Number(e.currentTarget.value);
                if (Number.isInteger(v) && v >= 0 && v < size) setIndex(v);
              }}
            />
          </label>
        )}
        <button
          type="button"
          class="fig-button"
          disabled={!gradData}
          onClick={() => void runCheck()}
          data-action="check"
        >
          Check with finite differences
        </button>
        <span
          class="fig-note bg-check__out"
          data-role="check"
          data-agrees={check && 'agrees' in check ? String(check.agrees) : ''}
        >
          {check === undefined
            ? gradData
              ? `backprop says ∂L/∂${leaf?.id}${size > 1 ? `[${at}]` : ''} = ${num(gradData[at] as number, 5)}`
              : 'Runs once the graph is live in your browser.'
            : 'error' in check
              ? `Could not check: ${check.error}`
              : `backprop ${num(check.grad, 5)} vs (L(x+ε) − L(x−ε)) / 2ε = (${num(check.plus, 7)} − ${num(check.minus, 7)}) / ${num(2 * check.eps)} = ${num(check.fd, 5)}: ${check.agrees ? 'they agree ✓' : 'they differ ✗'}`}
        </span>
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
