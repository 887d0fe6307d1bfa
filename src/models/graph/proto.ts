/**
 * A minimal protobuf writer and reader for the part of onnx.proto we use (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto). Written by hand so that the bytes are
 * deterministic, the code runs unchanged in Node and the browser, and nothing else is needed.
 * Field numbers are those of onnx/onnx.proto.
 */

export const DataType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export type AttrValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string };

export interface NodeProto {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttrValue>;
}

export interface TensorProto {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
  /** Little-endian raw bytes of the tensor data. */
  raw: Uint8Array;
}

export interface ValueInfo {
  name: string;
  dataType: DataTypeCode;
  /** A number for a fixed dimension, a string for a named (symbolic) one. */
  shape: (number | string)[];
}

export interface ModelProto {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: {
    name: string;
    nodes: NodeProto[];
    initializers: TensorProto[];
    inputs: ValueInfo[];
    outputs: ValueInfo[];
  };
  metadata: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Writer

/**
 * A float16 weight is stored as the initializer `<name>__fp16` and widened back to `<name>` by
 * a Cast (graph.ts); readers that want the weight by its name strip this (proto-read.ts
 * namedWeights).
 */
export const FLOAT16_SUFFIX = '__fp16';

export const WIRE_VARINT = 0;
export const WIRE_I32 = 5;
export const WIRE_LEN = 2;
const textEncoder = new TextEncoder();

class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Varint of a non-negative or negative integer (negatives as 64-bit two's complement). */
  varint(value: number): this {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_I32);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN).varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, textEncoder.encode(s));
  }

  message(field: number, write: (w: Writer) => void): this {
    const inner = new Writer();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function writeAttribute(w: Writer, name: string, a: AttrValue): void {
  w.string(1, name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'floats':
      for (const f of a.value) w.float(7, f);
      break;
    case 'ints':
      for (const i of a.value) w.int(8, i);
      break;
  }
  w.int(20, ATTR_TYPE[a.kind]);
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new Writer();
  w.int(1, m.irVersion);
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, (g) => {
    for (const n of m.graph.nodes) {
      g.message(1, (nw) => {
        for (const i of n.inputs) nw.string(1, i);
        for (const o of n.outputs) nw.string(2, o);
        nw.string(3, n.name);
        nw.string(4, n.opType);
        for (const [k, a] of Object.entries(n.attributes))
          nw.message(5, (aw) => writeAttribute(aw, k, a));
      });
    }
    g.string(2, m.graph.name);
    for (const t of m.graph.initializers) {
      g.message(5, (tw) => {
        for (const d of t.dims) tw.int(1, d);
        tw.int(2, t.dataType);
        tw.string(8, t.name);
        tw.bytes(9, t.raw);
      });
    }
    for (const v of m.graph.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of m.graph.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => o.string(1, '').int(2, m.opset));
  for (const [key, value] of Object.entries(m.metadata)) {
    w.message(14, (e) => e.string(1, key).string(2, value));
  }
  return w.finish();
}

// The reader (decodeModel, tensorValues, halfToFloat) is in proto-read.ts, not re-exported
// here: a page that only writes graphs (chapter 3's training) then does not load it.
