import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jsonRecordChunks, writeChunksAtomic } from './atomic-write';
import { listTree, type KnownFolder } from './tree-writer';

/** Bumped when the layout changes: a tree file of another format is ignored. */
const FORMAT = 'dist-tree/1';

/**
 * A folder younger than this when the tree was recorded is listed again next time: a file
 * added to it within the file system's timestamp tick after the record would leave its ctime
 * unchanged (git's "racy" entries). A second is far above ext4's few ms.
 */
const RACY_MS = 1000;

/**
 * One folder as recorded: its status-change time (ctime) and the files right in it. The ctime,
 * not the modification time: tools that restore a tree (`cp -a`, `tar`, `rsync -a`) set a
 * folder's mtime back, while its ctime moves on any change and cannot be set.
 */
type Folder = readonly [ctimeMs: number, ...files: string[]];
/** Where a record's file names start. */
const FILES_AT = 1;

/** A recorded folder as loaded: its subfolders are the recorded paths right below it. */
interface LoadedFolder extends KnownFolder {
  readonly ctimeMs: number;
  readonly folders: string[];
}

/**
 * The folders of a dist/ folder as the last synth left them, so the next synth learns which
 * files dist/ holds (to remove the stale ones) without listing its ~9,000 folders and 137,000
 * files at 1,000 tenants (most of a one-tenant re-synth's main thread). A folder's ctime
 * changes whenever an entry is added to it, removed from it or renamed in or out, so a folder
 * whose ctime is the recorded one holds the recorded files; its link count (2 + its
 * subfolders on ext4) says that it holds no subfolder the record does not list (one that was
 * there, empty, when the record was made). Any other folder is read again, and a file system
 * that does not count a folder's links that way (btrfs) simply has every folder read. Editing a
 * file in place changes neither: this answers which files exist, not what they hold
 * (dist-index.ts compares that).
 */
export class DistTree {
  private constructor(
    private readonly dir: string,
    /** Each recorded folder by its relative path, with its subfolders from the other paths. */
    private readonly folders: ReadonlyMap<string, LoadedFolder>,
    /** Folders whose ctime is this or later are read (the record's time less RACY_MS). */
    private readonly trustedBefore: number,
  ) {}

  /**
   * The tree in `file` for `dir`; empty (every folder read) when missing, corrupt or foreign.
   * `racyMs`: folders changed this long before the record are read anyway (tests shorten it).
   */
  static load(file: string, dir: string, racyMs = RACY_MS): DistTree {
    const abs = path.resolve(dir);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return new DistTree(abs, new Map(), 0);
    }
    if (!isTree(parsed) || parsed.dir !== abs) return new DistTree(abs, new Map(), 0);
    const folders = new Map<string, LoadedFolder>();
    for (const [rel, [ctimeMs, ...files]] of Object.entries(parsed.folders)) {
      folders.set(rel, { ctimeMs, files, folders: [] });
    }
    for (const rel of folders.keys()) {
      if (rel === '') continue;
      const slash = rel.lastIndexOf('/');
      folders.get(slash < 0 ? '' : rel.slice(0, slash))?.folders.push(rel.slice(slash + 1));
    }
    return new DistTree(abs, folders, parsed.recordedAt - racyMs);
  }

  /**
   * Every file below the folder, as '/'-separated relative paths (listTree's answer): a
   * recorded folder whose ctime is unchanged and whose link count matches its recorded
   * subfolders gives its recorded files and subfolders; any other one is read.
   */
  list(): Set<string> {
    return listTree(this.dir, (rel, abs) => this.known(rel, abs));
  }

  /** The recorded folder `rel` when it is unchanged since the record, else undefined. */
  private known(rel: string, abs: string): KnownFolder | undefined {
    const record = this.folders.get(rel);
    if (!record || record.ctimeMs >= this.trustedBefore) return undefined;
    const s = lstatSync(abs, { throwIfNoEntry: false });
    const unchanged =
      s !== undefined &&
      s.isDirectory() &&
      s.ctimeMs === record.ctimeMs &&
      s.nlink === 2 + record.folders.length;
    return unchanged ? record : undefined;
  }

  /**
   * Records the folders of `dir`, which holds exactly `files` (right after a commit: synth
   * removed every other file and the folders it emptied), to `file`. A failure to write it only
   * costs the next synth a listing.
   */
  static write(file: string, dir: string, files: Iterable<string>): void {
    const abs = path.resolve(dir);
    try {
      const byFolder = new Map<string, string[]>([['', []]]);
      for (const rel of files) {
        const slash = rel.lastIndexOf('/');
        const folder = slash < 0 ? '' : rel.slice(0, slash);
        let names = byFolder.get(folder);
        if (!names) {
          byFolder.set(folder, (names = []));
          // Its parents too (they may hold no file), once a folder rather than once a file.
          for (let i = folder.indexOf('/'); i >= 0; i = folder.indexOf('/', i + 1)) {
            if (!byFolder.has(folder.slice(0, i))) byFolder.set(folder.slice(0, i), []);
          }
        }
        names.push(rel.slice(slash + 1));
      }
      const recordedAt = Date.now();
      mkdirSync(path.dirname(file), { recursive: true });
      // A folder a chunk: at 10,000 tenants the record is ~50 MB, never one string.
      writeChunksAtomic(
        file,
        jsonRecordChunks(
          { format: FORMAT, dir: abs, recordedAt },
          'folders',
          folders(abs, byFolder),
        ),
      );
    } catch {
      // Not stored: the next synth lists dist/.
    }
  }
}

/**
 * Each folder of `byFolder` with its ctime then its files' names, statted as the record is
 * written; a folder gone or replaced meanwhile is left out, so it is read next time.
 */
function* folders(
  abs: string,
  byFolder: ReadonlyMap<string, readonly string[]>,
): Generator<readonly [string, Folder]> {
  for (const [rel, names] of byFolder) {
    const s = lstatSync(rel === '' ? abs : path.join(abs, rel), { throwIfNoEntry: false });
    if (s?.isDirectory()) yield [rel, [s.ctimeMs, ...names]];
  }
}

function isTree(
  v: unknown,
): v is { dir: string; recordedAt: number; folders: Record<string, Folder> } {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as { format?: unknown; dir?: unknown; recordedAt?: unknown; folders?: unknown };
  if (t.format !== FORMAT || typeof t.dir !== 'string' || typeof t.recordedAt !== 'number') {
    return false;
  }
  if (typeof t.folders !== 'object' || t.folders === null || Array.isArray(t.folders)) {
    return false;
  }
  // Names are checked, not trusted: the files listed are the ones synth removes when stale,
  // so a damaged record must not name a path outside dir.
  return Object.entries(t.folders).every(
    ([rel, f]) =>
      (rel === '' || rel.split('/').every(isName)) &&
      Array.isArray(f) &&
      f.length >= FILES_AT &&
      typeof f[0] === 'number' &&
      f.slice(FILES_AT).every((n) => typeof n === 'string' && isName(n)),
  );
}

/** One path segment: not empty, not `.` or `..`, no separator. */
function isName(n: string): boolean {
  return n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes(path.sep);
}
