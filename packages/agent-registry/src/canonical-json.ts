/**
 * JSON with object keys sorted at every level and no whitespace: the byte string the audit
 * chain and content digests hash. Only JSON values are accepted, so the same value always
 * serializes to the same bytes (undefined members are dropped, as JSON.stringify does).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}
