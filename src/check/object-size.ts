import type { ParsedDocument } from './parsed-manifests';

/**
 * Largest object `npm run check` admits: 256 KiB. Kubernetes caps an object's annotations at
 * 256 KiB in total, and client-side `kubectl apply` (and Argo CD without server-side apply)
 * copies the whole object into the `last-applied-configuration` annotation, so an object over
 * this size cannot be applied that way; far below etcd's 1.5 MiB request limit, it also leaves
 * room for the status and history Argo CD adds to Applications.
 */
export const MAX_OBJECT_BYTES = 256 * 1024;

/** One object over the limit. */
export interface ObjectSizeFinding {
  readonly file: string;
  readonly resource: string;
  readonly message: string;
}

/**
 * The size of an object as the API server receives it from `kubectl apply`: compact JSON,
 * UTF-8 bytes (the YAML file is a rendering of the same object; its size depends on layout).
 */
export function objectBytes(object: unknown): number {
  return Buffer.byteLength(JSON.stringify(object));
}

/** Every object of `documents` whose compact JSON is `limit` bytes or more. */
export function checkObjectSizes(
  documents: Iterable<ParsedDocument>,
  limit: number = MAX_OBJECT_BYTES,
): ObjectSizeFinding[] {
  const findings: ObjectSizeFinding[] = [];
  for (const { file, object } of documents) {
    if (object === null) continue;
    const bytes = objectBytes(object);
    if (bytes < limit) continue;
    const meta = (object.metadata ?? {}) as Record<string, unknown>;
    findings.push({
      file,
      resource: `${String(object.kind)}/${String(meta.name)}`,
      message: `is ${bytes} bytes as JSON, over the ${limit}-byte object limit (${Math.round(limit / 1024)} KiB); move what grows with the tenant count into per-tenant objects`,
    });
  }
  return findings;
}
