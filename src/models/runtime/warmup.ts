/**
 * The smallest model that makes onnxruntime start: y = Identity(x), one float. Creating a
 * session from it runs what every first session pays once per page (instantiating the .wasm,
 * ORT's own initialisation: ~450 ms of main-thread work on the book's 2-core test machine),
 * so RuntimeStart.astro can pay it while the page is still loading, before any figure needs
 * a model. Encoded at build time (the page gets it as base64, ~70 bytes).
 */
import { DataType, encodeModel } from '../graph/proto';

export function warmupModel(): Uint8Array {
  const value = (name: string) => ({ name, dataType: DataType.FLOAT, shape: [1] });
  return encodeModel({
    irVersion: 8,
    opset: 17,
    producerName: 'warmup',
    producerVersion: '0',
    docString: '',
    graph: {
      name: 'warmup',
      nodes: [{ opType: 'Identity', name: 'id', inputs: ['x'], outputs: ['y'], attributes: {} }],
      initializers: [],
      inputs: [value('x')],
      outputs: [value('y')],
    },
    metadata: {},
  });
}

export const warmupBase64 = (): string => Buffer.from(warmupModel()).toString('base64');
