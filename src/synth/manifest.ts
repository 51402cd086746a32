/** A Kubernetes object as synthesized: plain JSON, ready to validate and render. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export function isManifest(value: unknown): value is Manifest {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const meta = v.metadata as Record<string, unknown> | undefined;
  return (
    typeof v.apiVersion === 'string' && typeof v.kind === 'string' && typeof meta?.name === 'string'
  );
}

/** `<kind>-<name>.yaml`, lowercase: the file a manifest is written to inside its folder. */
export function manifestFileName(m: Manifest): string {
  return `${m.kind}-${m.metadata.name}.yaml`.toLowerCase();
}
