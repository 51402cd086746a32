import { serveUnits } from '../synth/worker-pool';
import type { UnitChecker } from './check-units';
import { unitChecker, type CheckInit, type PlannedResult, type PlannedUnit } from './run-check';

// A check worker thread: checks the units it is handed, one at a time.
serveUnits<CheckInit, PlannedUnit, UnitChecker, PlannedResult>(unitChecker, (checker, u) => ({
  index: u.index,
  result: checker.check(u.unit),
}));
