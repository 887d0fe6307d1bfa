/**
 * The build-time runtime: onnxruntime-node sessions over the same public/models/<id>.onnx files
 * the browser loads. Astro components call this while rendering, so every figure is drawn with
 * real model outputs before any JavaScript reaches the reader.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelCard } from '../card';
import type { Predict, SequenceIo, StepIo, WindowIo } from '../contract';
import { runSequence, runStep, runWindow, type State } from './run';

/**
 * public/models, found from the working directory upwards (astro build, vitest and tsx all run
 * somewhere inside the project; bundled code cannot rely on its own file location).
 * MODELS_DIR overrides it.
 */
export function modelsDir(): string {
  const fromEnv = process.env['MODELS_DIR'];
  if (fromEnv) return path.resolve(fromEnv);
  let dir = process.cwd();
  for (;;) {
    const candidate = path.join(dir, 'public', 'models');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(process.cwd(), 'public', 'models');
    dir = parent;
  }
}

const cards = new Map<string, Promise<ModelCard>>();
const sessions = new Map<string, Promise<ort.InferenceSession>>();

export function loadCard(id: string): Promise<ModelCard> {
  let card = cards.get(id);
  if (!card) {
    const file = path.join(modelsDir(), `${id}.json`);
    card = readFile(file, 'utf8').then((text) => JSON.parse(text) as ModelCard);
    card.catch(() => cards.delete(id));
    cards.set(id, card);
  }
  return card;
}

async function createSession(id: string): Promise<ort.InferenceSession> {
  const [card, bytes] = await Promise.all([
    loadCard(id),
    readFile(path.join(modelsDir(), `${id}.onnx`)),
  ]);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== card.file.sha256) {
    throw new Error(
      `public/models/${id}.onnx does not match its card (sha256 ${sha} != ${card.file.sha256})`,
    );
  }
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
}

export function loadSession(id: string): Promise<ort.InferenceSession> {
  let s = sessions.get(id);
  if (!s) {
    s = createSession(id);
    s.catch(() => sessions.delete(id));
    sessions.set(id, s);
  }
  return s;
}

/** The card's io, checked to be of the kind a caller needs. */
async function ioOf<K extends 'window' | 'sequence' | 'step'>(
  id: string,
  kind: K,
): Promise<Extract<WindowIo | SequenceIo | StepIo, { kind: K }>> {
  const { io } = await loadCard(id);
  if (io.kind !== kind) throw new Error(`model ${id} is a ${io.kind} model, not a ${kind} model`);
  return io as Extract<WindowIo | SequenceIo | StepIo, { kind: K }>;
}

/** A Predict for window model `id`, backed by a cached onnxruntime-node session. */
export async function nodePredict(id: string): Promise<Predict> {
  return nodeOutput(id, 'probs');
}

/** Another output of window model `id` (e.g. the NNLM's `hidden` [B * H]), same session. */
export async function nodeOutput(id: string, output: string): Promise<Predict> {
  const [session, io] = await Promise.all([loadSession(id), ioOf(id, 'window')]);
  return (contexts) => runWindow(ort.Tensor, session, io, contexts, output);
}

/** Sequence model `id`: tokens [B][T] -> the outputs asked for (logprobs [B, T, V] by default). */
export async function nodeSequence(id: string) {
  const [session, io] = await Promise.all([loadSession(id), ioOf(id, 'sequence')]);
  return {
    io,
    run: (tokens: readonly (readonly number[])[], outputs?: readonly string[]) =>
      runSequence(ort.Tensor, session, io, tokens, outputs),
  };
}

/** Step model `id`: one token per row and the state so far -> probs and the next state. */
export async function nodeStep(id: string) {
  const [session, io] = await Promise.all([loadSession(id), ioOf(id, 'step')]);
  return {
    io,
    run: (token: readonly number[], state: State, internals?: readonly string[]) =>
      runStep(ort.Tensor, session, io, token, state, internals),
  };
}
