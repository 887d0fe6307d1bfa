/**
 * Writing and checking public/models: each model's .onnx and its card (Node only).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ModelCard } from '../card';
import { ioProblems } from '../contract';
import { decodeModel } from '../graph/proto-read';
import { IR_VERSION, OPSET } from '../graph/graph';
import { MODELS } from './zoo';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toolVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const version = (pkg: string): string =>
    (
      JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as {
        version: string;
      }
    ).version;
  return {
    node: process.version,
    'onnxruntime-node': version('onnxruntime-node'),
    onnxOpset: String(OPSET),
    onnxIrVersion: String(IR_VERSION),
  };
}

export interface BuildModelsOptions {
  out: string;
  quick: boolean;
  only?: string[] | undefined;
  log: (line: string) => void;
}

export async function buildModels(opts: BuildModelsOptions): Promise<ModelCard[]> {
  mkdirSync(opts.out, { recursive: true });
  const cards: ModelCard[] = [];
  for (const spec of MODELS) {
    if (opts.only && !opts.only.includes(spec.id)) continue;
    opts.log(`== ${spec.id}`);
    const built = await spec.build({ quick: opts.quick, log: opts.log });
    const file = `${spec.id}.onnx`;
    writeFileSync(join(opts.out, file), built.onnx);
    const card: ModelCard = {
      ...built.card,
      file: {
        path: `models/${file}`,
        bytes: built.onnx.length,
        sha256: sha256(built.onnx),
        weights: 'float32',
      },
      tools: toolVersions(),
    };
    writeFileSync(join(opts.out, `${spec.id}.json`), `${JSON.stringify(card, null, 2)}\n`);
    cards.push(card);
  }
  return cards;
}

/** Problems found in `dir` (empty when every registered model matches its card). */
export async function checkModels(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const spec of MODELS) {
    const cardPath = join(dir, `${spec.id}.json`);
    const onnxPath = join(dir, `${spec.id}.onnx`);
    if (!existsSync(cardPath) || !existsSync(onnxPath)) {
      problems.push(
        `${spec.id}: missing ${existsSync(cardPath) ? onnxPath : cardPath} (run npm run models)`,
      );
      continue;
    }
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as ModelCard;
    const bytes = new Uint8Array(readFileSync(onnxPath));
    if (card.id !== spec.id) problems.push(`${spec.id}: card id is ${card.id}`);
    if (card.file.bytes !== bytes.length)
      problems.push(`${spec.id}: ${bytes.length} bytes, card says ${card.file.bytes}`);
    if (card.file.sha256 !== sha256(bytes))
      problems.push(`${spec.id}: sha256 differs from the card`);
    for (const p of ioProblems(card.io)) problems.push(`${spec.id}: card io: ${p}`);
    try {
      const model = decodeModel(bytes);
      const inputs = model.graph.inputs.map((i) => i.name).sort();
      const outputs = model.graph.outputs.map((o) => o.name).sort();
      const want = (xs: { name: string }[]): string[] => xs.map((x) => x.name).sort();
      if (inputs.join() !== want(card.io.inputs).join())
        problems.push(`${spec.id}: inputs ${inputs} differ from the card`);
      if (outputs.join() !== want(card.io.outputs).join())
        problems.push(`${spec.id}: outputs ${outputs} differ from the card`);
    } catch (e) {
      problems.push(`${spec.id}: not a readable ONNX file (${(e as Error).message})`);
    }
  }
  return problems;
}
