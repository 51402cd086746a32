import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';
import type { EnvironmentContext, TenantModel } from '../model/types';

/** Bumped when the entry layout or the key's ingredients change: old entries become misses. */
// 2: an entry holds all of a tenant's files (AppProject, tenant-sync, catalog part), not only
// its bundle's.
const FORMAT = 'tenant-bundle-cache/2';

/**
 * Where synth keeps built tenant bundles, and the code they were built with. The folder is
 * outside dist/ and ignored by git; the CLI chooses it and whether there is a cache at all.
 */
export interface BundleCacheOptions {
  /** Folder of the entries, one file a bundle. */
  readonly dir: string;
  /** `codeFingerprint()` of the code that builds bundles: another code, other keys. */
  readonly code: string;
}

/**
 * Tenant bundles (and the layers' environment parts, `sharedKey`) built before, by key. A
 * bundle's files are a pure function of its tenant, its environment's context (never the
 * environment's other tenants: `tenantBundleFiles` hands the bundle nothing else) and the
 * code, so the key hashes exactly those. An entry that is
 * missing, unreadable, corrupt or for another key is a miss; entries are written whole
 * (temporary file, then rename) so a reader never sees half of one.
 */
export class BundleCache {
  constructor(private readonly options: BundleCacheOptions) {}

  /**
   * The key of `tenant`'s bundle in an environment whose context serializes to `context`
   * (`contextKey`), or undefined when the inputs hold something that cannot be serialized
   * faithfully (then the bundle is built and not cached).
   */
  key(context: string, tenant: TenantModel): string | undefined {
    let t: string;
    try {
      t = canonical(tenant);
    } catch {
      return undefined;
    }
    return createHash('sha256')
      .update(`${FORMAT}\0${this.options.code}\0${context}\0${t}`)
      .digest('hex');
  }

  /**
   * The key of layer `layer`'s environment part (an index into LAYERS) in an environment whose
   * shared facts serialize to `shared` (`contextKey(environmentShared(env))`): the part is a
   * pure function of those facts and the code (it is handed no tenant list).
   */
  sharedKey(shared: string, layer: number): string {
    return createHash('sha256')
      .update(`${FORMAT}\0${this.options.code}\0environment-part\0${layer}\0${shared}`)
      .digest('hex');
  }

  /** The files of the bundle under `key` (path → content), or undefined on a miss. */
  read(key: string): [string, string][] | undefined {
    let entry: unknown;
    try {
      entry = JSON.parse(readFileSync(this.file(key), 'utf8'));
    } catch {
      return undefined;
    }
    if (!isEntry(entry) || entry.key !== key) return undefined;
    return entry.files;
  }

  /** Stores a bundle's files under `key`; a failure to store only costs a later rebuild. */
  write(key: string, files: readonly [string, string][]): void {
    try {
      mkdirSync(this.options.dir, { recursive: true });
      writeFileAtomic(this.file(key), JSON.stringify({ format: FORMAT, key, files }));
    } catch {
      // Not stored: the bundle is built again next time.
    }
  }

  private file(key: string): string {
    return path.join(this.options.dir, `${key}.json`);
  }
}

/**
 * Removes every entry of `dir` whose key is not in `keep` (the keys of the synth that just
 * committed), and leftover temporary files, so the cache holds one entry a current bundle.
 */
export function pruneBundleCache(dir: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const key = name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
    if (key !== undefined && keep.has(key)) continue;
    rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * The environment facts a part reads, serialized for a key: a tenant bundle's context
 * (`bundleContext`) or an environment part's `environmentShared`; undefined when they hold
 * something that cannot be serialized faithfully.
 */
export function contextKey(context: EnvironmentContext): string | undefined {
  try {
    return canonical(context);
  } catch {
    return undefined;
  }
}

function isEntry(v: unknown): v is { key: string; files: [string, string][] } {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as { format?: unknown; key?: unknown; files?: unknown };
  return (
    e.format === FORMAT &&
    typeof e.key === 'string' &&
    Array.isArray(e.files) &&
    e.files.every(
      (f) =>
        Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && typeof f[1] === 'string',
    )
  );
}

/**
 * A serialization that tells apart every two values a bundle could tell apart: key order is
 * kept (it can decide output order), `undefined` and absent differ, and anything but plain
 * data (a class instance, a function, a Map) throws instead of being serialized lossily.
 */
export function canonical(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (v === undefined) parts.push('u');
    else if (v === null) parts.push('n');
    else if (typeof v === 'string') parts.push(JSON.stringify(v));
    else if (typeof v === 'number') parts.push(Object.is(v, -0) ? '-0' : String(v));
    else if (typeof v === 'boolean') parts.push(v ? 't' : 'f');
    else if (Array.isArray(v)) {
      parts.push('[');
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new Error('sparse array');
        walk(v[i]);
        parts.push(',');
      }
      parts.push(']');
    } else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      if (Object.getOwnPropertySymbols(v).length > 0) throw new Error('symbol keys');
      parts.push('{');
      for (const [k, x] of Object.entries(v)) {
        parts.push(JSON.stringify(k), ':');
        walk(x);
        parts.push(',');
      }
      parts.push('}');
    } else {
      throw new Error(`cannot serialize a ${typeof v} for a cache key`);
    }
  };
  walk(value);
  return parts.join('');
}

/**
 * Whether JSON.parse(JSON.stringify(v)) is exactly `v`, by `canonical`, which tells apart
 * what JSON conflates (undefined and absent, -0, NaN, holes) and refuses anything but plain
 * data (a Date, a Map): what a cache may keep as JSON and give back as the same value.
 */
export function exactInJson(v: unknown): boolean {
  try {
    return canonical(JSON.parse(JSON.stringify(v))) === canonical(v);
  } catch {
    return false;
  }
}
