/** Deep merge for Helm values: objects merge key by key, anything else is replaced. */
export function mergeValues<T extends object>(
  base: T,
  override?: Readonly<Record<string, unknown>>,
): T {
  if (!override) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(override)) {
    const cur = out[k];
    out[k] =
      isPlainObject(cur) && isPlainObject(v) ? mergeValues(cur, v as Record<string, unknown>) : v;
  }
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The override for one Application, or undefined. */
export function overrideFor(
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
  app: string,
): Readonly<Record<string, unknown>> | undefined {
  return overrides?.[app];
}
