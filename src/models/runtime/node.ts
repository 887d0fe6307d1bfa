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
import type { Predict } from '../names/lm';
import { runOutput, runPredict } from './predict';

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

/** A Predict for model `id`, backed by a cached onnxruntime-node session. */
export async function nodePredict(id: string): Promise<Predict> {
  const session = await loadSession(id);
  return (contexts) => runPredict(ort.Tensor, session, contexts);
}

/** Another output of model `id` (e.g. the NNLM's `hidden` [B * H]), on the same cached session. */
export async function nodeOutput(id: string, output: string): Promise<Predict> {
  const session = await loadSession(id);
  return (contexts) => runOutput(ort.Tensor, session, contexts, output);
}
