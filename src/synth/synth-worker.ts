import type { PlatformModel } from '../model/types';
import type { BundleCacheOptions } from './bundle-cache';
import { DistIndex } from './dist-index';
import { UnitBuilder, type SynthUnit } from './synth-units';
import { serveUnits } from './worker-pool';
import { stageUnit, type Collected } from './write-tree';

/** What the main thread sends a synth worker first: the run's inputs. */
export interface SynthInit {
  readonly model: PlatformModel;
  readonly dir: string;
  readonly staging: string;
  readonly cache: BundleCacheOptions | undefined;
  /** The dist index's file (SynthToDirOptions.indexFile), when one is used. */
  readonly indexFile: string | undefined;
}

serveUnits<SynthInit, SynthUnit, { builder: UnitBuilder; init: SynthInit }, Collected>(
  (init) => ({
    builder: new UnitBuilder(
      init.model,
      init.cache,
      init.indexFile === undefined ? undefined : DistIndex.load(init.indexFile, init.dir),
    ),
    init,
  }),
  ({ builder, init }, unit) => stageUnit(builder.build(unit), init.dir, init.staging),
);
