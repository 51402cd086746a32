import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { jsonRecordChunks, writeChunksAtomic } from './atomic-write';

/** Bumped when the layout changes: an index of another format is ignored. */
const FORMAT = 'dist-index/2';

/** One file synth committed: its path relative to dist/, its size and its mtime (ms). */
export type IndexedFile = readonly [rel: string, size: number, mtimeMs: number];

/**
 * What the last synth committed to a dist/ folder for each tenant bundle, by the bundle's
 * cache key (bundle-cache.ts): its files with the size and modification time they had right
 * after the commit. A bundle whose key is unchanged and whose files all still have that size
 * and time holds the bytes that key builds, so a re-synth skips reading the cache entry and
 * comparing the files (at 1,000 tenants: 2,998 entries and 137,056 files, most of a one-tenant
 * re-synth's work), the way git trusts a file whose stat data matches its index. Any write to a
 * file (an edit, a checkout, another synth) changes its time, and the bundle is compared byte
 * for byte again. As with git, a write within the file system's timestamp tick (a few ms on
 * ext4) after synth's own that keeps the size is not seen; `npm run check` never uses the
 * index and compares every byte.
 */
export class DistIndex {
  private constructor(
    /** The dist/ folder (absolute) the entries describe. */
    private readonly dir: string,
    /** Each bundle's files, encoded (`encodeIndexEntry`): decoded only for the bundles asked about. */
    private readonly entries: ReadonlyMap<string, string>,
  ) {}

  /** The index in `file` for `dir`; empty when missing, unreadable, corrupt or for another dir. */
  static load(file: string, dir: string): DistIndex {
    const abs = path.resolve(dir);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return new DistIndex(abs, new Map());
    }
    if (!isIndex(parsed) || parsed.dir !== abs) return new DistIndex(abs, new Map());
    return new DistIndex(abs, new Map(Object.entries(parsed.bundles)));
  }

  /**
   * The files of the bundle under `key` when every one still has the size and time the index
   * recorded (then they hold that bundle's bytes), else undefined: compare them. With them its
   * entry as stored, handed to the next `write` as it is, neither decoded nor encoded again.
   */
  unchanged(
    key: string,
  ): { readonly files: readonly IndexedFile[]; readonly entry: string } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const files = decode(entry);
    if (!files) return undefined;
    for (const [rel, size, mtimeMs] of files) {
      const s = statSync(path.join(this.dir, rel), { throwIfNoEntry: false });
      if (!s || !s.isFile() || s.size !== size || s.mtimeMs !== mtimeMs) return undefined;
    }
    return { files, entry };
  }

  /**
   * Writes the index of `dir` to `file`: each key's files, encoded (`encodeIndexEntry` of
   * their `statIndexed`), a bundle a chunk. Called after a commit; a failure to write it only
   * costs the next synth a comparison.
   */
  static write(file: string, dir: string, bundles: ReadonlyMap<string, string>): void {
    const abs = path.resolve(dir);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeChunksAtomic(file, jsonRecordChunks({ format: FORMAT, dir: abs }, 'bundles', bundles));
    } catch {
      // Not stored: the next synth compares every bundle.
    }
  }
}

/**
 * The index entry of `rel` as the file at `abs` is now, or undefined when it is not a file
 * (gone meanwhile). Taken where synth compares or stages a file, in the thread that does:
 * a staged file keeps its time when the commit renames it into dist/.
 */
export function statIndexed(abs: string, rel: string): IndexedFile | undefined {
  const s = statSync(abs, { throwIfNoEntry: false });
  return s?.isFile() ? [rel, s.size, s.mtimeMs] : undefined;
}

/**
 * One bundle's files as one string, a line a file: path, size and time, tab-separated. One
 * string a bundle instead of an array a file: at 1,000 tenants the index holds 137,056 files,
 * and parsing (in every thread) and writing them as arrays cost ~0.1 s each time. Made where
 * the files were just statted (a worker), so a synth's main thread holds one string a bundle
 * (1.4 million files at 10,000 tenants).
 */
export function encodeIndexEntry(files: readonly IndexedFile[]): string {
  return files.map(([rel, size, mtimeMs]) => `${rel}\t${size}\t${mtimeMs}`).join('\n');
}

/** The files `encodeIndexEntry` wrote, or undefined for a damaged entry (a miss: compared). */
function decode(encoded: string): IndexedFile[] | undefined {
  const files: IndexedFile[] = [];
  for (const line of encoded.split('\n')) {
    const [rel, size, mtimeMs, extra] = line.split('\t');
    const s = Number(size);
    const m = Number(mtimeMs);
    if (!rel || extra !== undefined || !Number.isInteger(s) || s < 0 || !Number.isFinite(m)) {
      return undefined;
    }
    files.push([rel, s, m]);
  }
  return files;
}

function isIndex(v: unknown): v is { dir: string; bundles: Record<string, string> } {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as { format?: unknown; dir?: unknown; bundles?: unknown };
  if (i.format !== FORMAT || typeof i.dir !== 'string') return false;
  if (typeof i.bundles !== 'object' || i.bundles === null || Array.isArray(i.bundles)) return false;
  return Object.values(i.bundles).every((files) => typeof files === 'string');
}
