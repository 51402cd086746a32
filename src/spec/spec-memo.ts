import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../synth/atomic-write';
import { exactInJson } from '../synth/bundle-cache';
import type { Position } from './source';

/** Bumped when what an entry holds changes. */
// 2: texts the secret scan found nothing in.
const FORMAT = 'spec-memo/2';

/** What parsing one valid spec file produced, as data: the schema's output and its escapes. */
export interface MemoEntry {
  readonly spec: unknown;
  readonly escaped: readonly { readonly value: string; readonly at: Position }[];
}

/**
 * The parsed form of spec files whose exact bytes were parsed before by the same code: at
 * 1,000 tenants, parsing the YAML and running the schemas is ~2 s of a one-tenant re-synth.
 * An entry is found by the sha256 of its schema's name and the file's bytes, within a memo of
 * one code fingerprint; only files that parsed without an issue are stored. The cross-file
 * rules still run over every file on every load; positions (for an error message) come from
 * parsing the file again when asked for. The memo also holds the sha256 of each text the
 * secret scan found nothing in (secrets.ts): the scan sees every text on its own, so a text
 * scanned clean by the same code is clean again (~0.2 s at 1,000 tenants).
 */
export class SpecMemo {
  private readonly used = new Map<string, MemoEntry>();
  private readonly cleanUsed = new Set<string>();
  private added = false;

  private constructor(
    private readonly code: string,
    private readonly entries: ReadonlyMap<string, MemoEntry>,
    private readonly clean: ReadonlySet<string> = new Set(),
  ) {}

  /** An empty memo for `code` (the code fingerprint). */
  static empty(code: string): SpecMemo {
    return new SpecMemo(code, new Map());
  }

  /**
   * The memo stored in `file` for `code`; empty when the file is missing, unreadable, corrupt
   * or from other code (a memo is only ever an optimization).
   */
  static load(file: string, code: string): SpecMemo {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as {
        format?: unknown;
        code?: unknown;
        entries?: unknown;
        clean?: unknown;
      };
      if (
        data.format !== FORMAT ||
        data.code !== code ||
        !isRecord(data.entries) ||
        !Array.isArray(data.clean) ||
        !data.clean.every((h) => typeof h === 'string')
      ) {
        return SpecMemo.empty(code);
      }
      const entries = new Map<string, MemoEntry>();
      for (const [key, e] of Object.entries(data.entries)) {
        if (isRecord(e) && 'spec' in e && Array.isArray(e.escaped)) {
          entries.set(key, e as unknown as MemoEntry);
        }
      }
      return new SpecMemo(code, entries, new Set(data.clean as string[]));
    } catch {
      return SpecMemo.empty(code);
    }
  }

  /** The entry for `content` parsed with the schema `schema`, if stored. */
  get(schema: string, content: string): MemoEntry | undefined {
    const key = entryKey(schema, content);
    const entry = this.used.get(key) ?? this.entries.get(key);
    if (entry) this.used.set(key, entry);
    return entry;
  }

  /** Stores what parsing `content` gave, unless JSON would not give back exactly that. */
  put(schema: string, content: string, entry: MemoEntry): void {
    if (!exactInJson(entry.spec)) return;
    this.used.set(entryKey(schema, content), structuredClone(entry));
    this.added = true;
  }

  /** Whether the secret scan found nothing in `text` before (same code). */
  scannedClean(text: string): boolean {
    const key = textKey(text);
    if (!this.clean.has(key) && !this.cleanUsed.has(key)) return false;
    this.cleanUsed.add(key);
    return true;
  }

  /** Records that the secret scan found nothing in `text`. */
  markClean(text: string): void {
    const key = textKey(text);
    if (!this.clean.has(key)) this.added = true;
    this.cleanUsed.add(key);
  }

  /** Entries found or stored since the memo was loaded. */
  get size(): number {
    return this.used.size;
  }

  /**
   * Writes the entries found or stored since the memo was loaded (so the files of the last
   * load, no stale ones) to `file`, whole (temporary file, then rename); does nothing when
   * that is what `file` held. A failure to store only costs the next load its speed.
   */
  save(file: string): void {
    if (
      !this.added &&
      this.used.size === this.entries.size &&
      this.cleanUsed.size === this.clean.size
    )
      return;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const entries = Object.fromEntries([...this.used].sort(([a], [b]) => (a < b ? -1 : 1)));
      const clean = [...this.cleanUsed].sort();
      writeFileAtomic(file, JSON.stringify({ format: FORMAT, code: this.code, entries, clean }));
    } catch {
      // Not stored: the next load parses and scans again.
    }
  }
}

function entryKey(schema: string, content: string): string {
  return createHash('sha256').update(`${schema}\0${content}`).digest('hex');
}

function textKey(text: string): string {
  return createHash('sha256').update(`secret-scan\0${text}`).digest('hex');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
