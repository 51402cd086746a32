import { serveUnits } from '../synth/worker-pool';
import { EnvironmentChecker, type CheckedEnvironment, type CheckInit } from './run-check';

// A check worker thread: checks the environments it is handed, one at a time.
serveUnits<CheckInit, string, EnvironmentChecker, CheckedEnvironment>(
  (init) => new EnvironmentChecker(init.root, init.model, init.today, init.validatorCache),
  (checker, env) => checker.check(env),
);
