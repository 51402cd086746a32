import { serveUnits } from '../synth/worker-pool';
import { EnvironmentChecker, type CheckInit, type EnvironmentReport } from './run-check';

// A check worker thread: checks the environments it is handed, one at a time.
serveUnits<CheckInit, string, EnvironmentChecker, { env: string; report: EnvironmentReport }>(
  (init) => new EnvironmentChecker(init.root, init.model, init.today),
  (checker, env) => ({ env, report: checker.check(env) }),
);
