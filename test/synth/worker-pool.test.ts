import { describe, expect, it } from 'vitest';
import { serveUnits } from '../../src/synth/worker-pool';

describe('serveUnits', () => {
  it('refuses to run outside a worker thread', () => {
    expect(() =>
      serveUnits(
        () => undefined,
        () => undefined,
      ),
    ).toThrow('serveUnits runs in a worker thread only');
  });
});
