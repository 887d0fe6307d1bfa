/**
 * The reader half of proto.ts: bytes of an .onnx file back into a ModelProto, and the values of
 * its initializers. Kept apart from the writer so that a page that only writes graphs (chapter
 * 3's training) does not load it; proto.ts re-exports it.
 */
import {
  ATTR_TYPE,
  DataType,
  FLOAT16_SUFFIX,
  WIRE_I32,
  WIRE_LEN,
  WIRE_VARINT,
  type AttrValue,
  type DataTypeCode,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfo,
} from './proto';

const textDecoder = new TextDecoder();

interface Field {
  field: number;
  wire: number;
  /** Varint value (as bigint) for wire 0; raw bytes for wire 2 and 5. */
  int?: bigint;
  data?: Uint8Array;
}

function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === WIRE_VARINT) fields.push({ field, wire, int: varint() });
    else if (wire === WIRE_LEN) {
      const n = Number(varint());
      if (pos + n > buf.length) throw new Error('protobuf: truncated field');
      fields.push({ field, wire, data: buf.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === WIRE_I32) {
      fields.push({ field, wire, data: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else if (wire === 1) {
      fields.push({ field, wire, data: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  return fields;
}

const num = (f: Field): number => Number(BigInt.asIntN(64, f.int ?? 0n));
const str = (f: Field): string => textDecoder.decode(f.data);
const f32 = (f: Field): number =>
  new DataView(f.data!.buffer, f.data!.byteOffset, 4).getFloat32(0, true);

/** Varints may also be packed into one length-delimited field. */
function ints(f: Field): number[] {
  if (f.wire === WIRE_VARINT) return [num(f)];
  const out: number[] = [];
  let pos = 0;
  const data = f.data!;
  while (pos < data.length) {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = data[pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7n;
    }
    out.push(Number(BigInt.asIntN(64, result)));
  }
  return out;
}

function readAttribute(buf: Uint8Array): [string, AttrValue] {
  let name = '';
  let type = 0;
  let f = 0;
  let i = 0;
  let s = '';
  const floats: number[] = [];
  const intList: number[] = [];
  for (const fl of readFields(buf)) {
    if (fl.field === 1) name = str(fl);
    else if (fl.field === 2) f = f32(fl);
    else if (fl.field === 3) i = num(fl);
    else if (fl.field === 4) s = str(fl);
    else if (fl.field === 7) {
      if (fl.wire === WIRE_I32) floats.push(f32(fl));
      else
        for (let k = 0; k < fl.data!.length; k += 4)
          floats.push(f32({ ...fl, data: fl.data!.subarray(k, k + 4) }));
    } else if (fl.field === 8) intList.push(...ints(fl));
    else if (fl.field === 20) type = num(fl);
  }
  const value: AttrValue =
    type === ATTR_TYPE.float
      ? { kind: 'float', value: f }
      : type === ATTR_TYPE.int
        ? { kind: 'int', value: i }
        : type === ATTR_TYPE.string
          ? { kind: 'string', value: s }
          : type === ATTR_TYPE.floats
            ? { kind: 'floats', value: floats }
            : { kind: 'ints', value: intList };
  return [name, value];
}

function readValueInfo(buf: Uint8Array): ValueInfo {
  const v: ValueInfo = { name: '', dataType: DataType.FLOAT, shape: [] };
  for (const f of readFields(buf)) {
    if (f.field === 1) v.name = str(f);
    else if (f.field === 2) {
      for (const t of readFields(f.data!)) {
        if (t.field !== 1) continue;
        for (const tt of readFields(t.data!)) {
          if (tt.field === 1) v.dataType = num(tt) as DataTypeCode;
          else if (tt.field === 2) {
            for (const d of readFields(tt.data!)) {
              const [dim] = readFields(d.data!);
              v.shape.push(dim === undefined ? '?' : dim.field === 1 ? num(dim) : str(dim));
            }
          }
        }
      }
    }
  }
  return v;
}

function readTensor(buf: Uint8Array): TensorProto {
  const t: TensorProto = { name: '', dataType: DataType.FLOAT, dims: [], raw: new Uint8Array() };
  for (const f of readFields(buf)) {
    if (f.field === 1) t.dims.push(...ints(f));
    else if (f.field === 2) t.dataType = num(f) as DataTypeCode;
    else if (f.field === 8) t.name = str(f);
    else if (f.field === 9) t.raw = f.data!.slice();
  }
  return t;
}

function readNode(buf: Uint8Array): NodeProto {
  const n: NodeProto = { opType: '', name: '', inputs: [], outputs: [], attributes: {} };
  for (const f of readFields(buf)) {
    if (f.field === 1) n.inputs.push(str(f));
    else if (f.field === 2) n.outputs.push(str(f));
    else if (f.field === 3) n.name = str(f);
    else if (f.field === 4) n.opType = str(f);
    else if (f.field === 5) {
      const [k, a] = readAttribute(f.data!);
      n.attributes[k] = a;
    }
  }
  return n;
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  const m: ModelProto = {
    irVersion: 0,
    opset: 0,
    producerName: '',
    producerVersion: '',
    docString: '',
    graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [] },
    metadata: {},
  };
  for (const f of readFields(bytes)) {
    if (f.field === 1) m.irVersion = num(f);
    else if (f.field === 2) m.producerName = str(f);
    else if (f.field === 3) m.producerVersion = str(f);
    else if (f.field === 6) m.docString = str(f);
    else if (f.field === 8) {
      for (const o of readFields(f.data!)) if (o.field === 2) m.opset = num(o);
    } else if (f.field === 14) {
      let key = '';
      let value = '';
      for (const e of readFields(f.data!)) {
        if (e.field === 1) key = str(e);
        else if (e.field === 2) value = str(e);
      }
      m.metadata[key] = value;
    } else if (f.field === 7) {
      for (const g of readFields(f.data!)) {
        if (g.field === 1) m.graph.nodes.push(readNode(g.data!));
        else if (g.field === 2) m.graph.name = str(g);
        else if (g.field === 5) m.graph.initializers.push(readTensor(g.data!));
        else if (g.field === 11) m.graph.inputs.push(readValueInfo(g.data!));
        else if (g.field === 12) m.graph.outputs.push(readValueInfo(g.data!));
      }
    }
  }
  return m;
}

/** The float values of an initializer (float32, float16 or float64 raw data) as float64. */
export function tensorValues(t: TensorProto): Float64Array {
  const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
  if (t.dataType === DataType.FLOAT) {
    return Float64Array.from({ length: t.raw.byteLength / 4 }, (_, i) =>
      view.getFloat32(i * 4, true),
    );
  }
  if (t.dataType === DataType.DOUBLE) {
    return Float64Array.from({ length: t.raw.byteLength / 8 }, (_, i) =>
      view.getFloat64(i * 8, true),
    );
  }
  if (t.dataType === DataType.FLOAT16) {
    return Float64Array.from({ length: t.raw.byteLength / 2 }, (_, i) =>
      halfToFloat(view.getUint16(i * 2, true)),
    );
  }
  if (t.dataType === DataType.INT64) {
    return Float64Array.from({ length: t.raw.byteLength / 8 }, (_, i) =>
      Number(view.getBigInt64(i * 8, true)),
    );
  }
  throw new Error(`tensorValues: unsupported data type ${t.dataType}`);
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** A weight of an .onnx file: its dims and its values, widened to float64. */
export interface NamedWeight {
  dims: number[];
  values: Float64Array;
}

/**
 * The initializers of an .onnx file by parameter name (only `names`, when given; a name missing
 * from the file is an error): a float16 weight stored as `<name>__fp16` is read under its own
 * name, with the values the graph's Cast gives it.
 */
export function namedWeights(
  bytes: Uint8Array,
  names?: readonly string[],
): Map<string, NamedWeight> {
  const want = names ? new Set(names) : undefined;
  const out = new Map<string, NamedWeight>();
  for (const t of decodeModel(bytes).graph.initializers) {
    const name = t.name.endsWith(FLOAT16_SUFFIX) ? t.name.slice(0, -FLOAT16_SUFFIX.length) : t.name;
    if (want && !want.has(name)) continue;
    out.set(name, { dims: t.dims, values: tensorValues(t) });
  }
  for (const n of want ?? []) if (!out.has(n)) throw new Error(`the model has no weight "${n}"`);
  return out;
}
