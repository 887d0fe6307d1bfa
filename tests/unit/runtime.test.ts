/**
 * The build-time runtime (src/models/runtime/node.ts, predict.ts): finding the models, checking
 * the bytes against the card, and the tensor contract every names model shares.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTEXT, V } from '../../src/models/names/vocab';
import { loadCard, loadSession, modelsDir, nodePredict } from '../../src/models/runtime/node';
import { windowIo } from '../../src/models/contract';
import { contextTensor, runWindow } from '../../src/models/runtime/run';

afterEach(() => {
  delete process.env['MODELS_DIR'];
});

describe('node runtime', () => {
  it('finds public/models from the working directory', () => {
    expect(modelsDir()).toBe(path.resolve('public/models'));
  });

  it('each model file matches its card and declares the shared interface', async () => {
    for (const id of ['unigram', 'bigram', 'mlp']) {
      const card = await loadCard(id);
      const bytes = await readFile(path.join(modelsDir(), `${id}.onnx`));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(card.file.sha256);
      expect(card.vocabulary).toHaveLength(V);
      const session = await loadSession(id);
      expect(session.inputNames).toEqual(['ctx']);
      expect(session.outputNames).toEqual(['probs']);
    }
  });

  it('refuses a model whose bytes do not match the card', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'models-'));
    // Another id than the shipped ones: the runtime caches cards and sessions by id.
    await copyFile(path.join(modelsDir(), 'bigram.onnx'), path.join(dir, 'tampered.onnx'));
    const card = { ...(await loadCard('bigram')), id: 'tampered' };
    card.file = { ...card.file, sha256: '0'.repeat(64) };
    await writeFile(path.join(dir, 'tampered.json'), JSON.stringify(card));
    process.env['MODELS_DIR'] = dir;
    await expect(nodePredict('tampered')).rejects.toThrow(/does not match its card/);
  });

  it('a missing model is a clear error', async () => {
    process.env['MODELS_DIR'] = await mkdtemp(path.join(tmpdir(), 'models-'));
    await expect(nodePredict('nope')).rejects.toThrow(/nope\.json/);
  });
});

describe('the tensor contract', () => {
  const io = windowIo(CONTEXT, V);
  it('contexts become int64 [B, 3]', () => {
    const t = contextTensor(
      ort.Tensor,
      [
        [0, 0, 5],
        [0, 5, 13],
      ],
      io,
    );
    expect(t.type).toBe('int64');
    expect(t.dims).toEqual([2, CONTEXT]);
    expect(Array.from(t.data as BigInt64Array, Number)).toEqual([0, 0, 5, 0, 5, 13]);
  });

  it('rejects malformed contexts instead of sending them to the model', () => {
    expect(() => contextTensor(ort.Tensor, [[0, 0]], io)).toThrow(/expected 3/);
    expect(() => contextTensor(ort.Tensor, [[0, 0, 27]], io)).toThrow(/outside/);
    expect(() => contextTensor(ort.Tensor, [[0, 0, 1.5]], io)).toThrow(/outside/);
    expect(() => contextTensor(ort.Tensor, [[0, -1, 0]], io)).toThrow(/outside/);
  });

  it('an empty batch needs no model call', async () => {
    const session = await loadSession('mlp');
    expect(await runWindow(ort.Tensor, session, io, [])).toHaveLength(0);
  });
});
