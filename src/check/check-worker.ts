import { serveUnits } from '../synth/worker-pool';
import type { UnitChecker } from './check-units';
import { unitChecker, type CheckInit, type PlannedResult, type PlannedUnit } from './run-check';

// A check worker thread: checks the units it is handed, one at a time.
serveUnits<CheckInit, PlannedUnit, UnitChecker, PlannedResult>(unitChecker, async (checker, u) => ({
  index: u.index,
  result: await checker.check(u.unit),
}));
