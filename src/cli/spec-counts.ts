import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Spec files below `root` before they are loaded: enough to decide whether worker threads are
 * worth starting while this thread loads the specs (an estimate from the file counts alone,
 * as if every tenant were in every environment; a worker not needed is ended unused).
 */
export function specCounts(root: string): { tenants: number; environments: number } {
  const yamls = (dir: string) => {
    try {
      return readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yaml')).length;
    } catch {
      // No folder: the spec loader reports it; no workers for a run that will fail.
      return 0;
    }
  };
  return { tenants: yamls('tenants'), environments: yamls('environments') };
}
