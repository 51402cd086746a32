import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `data` to `file` whole: into a temporary file beside it (named for this process and
 * call, so concurrent writers never share one), then renamed over it, so a reader in another
 * thread or run sees the old file or the new one, never half of one. The folder must exist. On
 * failure the temporary file is removed and the error thrown; callers whose file is only a
 * cache catch it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
