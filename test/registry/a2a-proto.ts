import { readFileSync } from 'node:fs';

/**
 * A structural validator derived from the vendored upstream `a2a.proto` (v1.0.1): the
 * normative A2A definition has no JSON Schema for v1.x, so the checker reads the messages
 * and checks ProtoJSON names, REQUIRED fields (and non-empty required arrays), and types.
 */
interface Field {
  readonly json: string;
  readonly type: string;
  readonly repeated: boolean;
  readonly map?: string;
  readonly required: boolean;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function loadProto(path = 'schemas/specs/a2a/v1.0.1/a2a.proto'): Map<string, Field[]> {
  const text = readFileSync(path, 'utf8').replace(/\/\/.*$/gm, '');
  const messages = new Map<string, Field[]>();
  const re = /^message\s+(\w+)\s*\{/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let depth = 1;
    let i = re.lastIndex;
    while (depth > 0 && i < text.length) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
      i++;
    }
    const body = text.slice(re.lastIndex, i - 1);
    const fields: Field[] = [];
    const fre =
      /^\s*(repeated\s+|optional\s+)?(map<\s*string\s*,\s*([\w.]+)\s*>|[\w.]+)\s+(\w+)\s*=\s*\d+\s*(\[[^\]]*\])?\s*;/gm;
    let f: RegExpExecArray | null;
    while ((f = fre.exec(body))) {
      fields.push({
        json: camel(f[4]!),
        type: f[3] ?? f[2]!,
        repeated: f[1]?.trim() === 'repeated',
        ...(f[3] ? { map: f[3] } : {}),
        required: (f[5] ?? '').includes('REQUIRED'),
      });
    }
    messages.set(m[1]!, fields);
  }
  return messages;
}

const SCALARS: Record<string, string> = {
  string: 'string',
  bool: 'boolean',
  int32: 'number',
  int64: 'string',
  bytes: 'string',
};

/** Problems of `value` as the JSON form of proto message `message`, as readable paths. */
export function checkMessage(
  proto: Map<string, Field[]>,
  message: string,
  value: unknown,
  path = message,
): string[] {
  const fields = proto.get(message);
  if (!fields) return [`${path}: unknown message ${message}`];
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return [`${path}: not an object`];
  const obj = value as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Map(fields.map((f) => [f.json, f]));
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) problems.push(`${path}.${key}: not a field of ${message}`);
  }
  for (const f of fields) {
    const v = obj[f.json];
    if (v === undefined) {
      if (f.required) problems.push(`${path}.${f.json}: REQUIRED`);
      continue;
    }
    const check = (item: unknown, p: string) =>
      SCALARS[f.map ?? f.type]
        ? typeof item === SCALARS[f.map ?? f.type]
          ? []
          : [`${p}: expected ${f.map ?? f.type}`]
        : (f.map ?? f.type).startsWith('google.protobuf.')
          ? []
          : checkMessage(proto, f.map ?? f.type, item, p);
    if (f.map) {
      for (const [k, item] of Object.entries(v as object))
        problems.push(...check(item, `${path}.${f.json}.${k}`));
    } else if (f.repeated) {
      if (!Array.isArray(v)) problems.push(`${path}.${f.json}: expected an array`);
      else {
        if (f.required && v.length === 0)
          problems.push(`${path}.${f.json}: REQUIRED array is empty`);
        v.forEach((item, i) => problems.push(...check(item, `${path}.${f.json}[${i}]`)));
      }
    } else problems.push(...check(v, `${path}.${f.json}`));
  }
  return problems;
}
