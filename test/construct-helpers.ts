import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { synthChart } from '../src/synth/chart-objects';
import type { Manifest } from '../src/synth/manifest';

/** Synthesizes whatever `build` adds to a fresh chart. */
export function objectsOf(build: (scope: Construct) => void): Manifest[] {
  return synthChart((app) => {
    const chart = new Chart(app, 'test');
    build(chart);
    return chart;
  });
}

/** The one object of `kind` named `name`; fails loudly when absent. */
export function find(
  objects: readonly Manifest[],
  kind: string,
  name: string,
): Record<string, any> {
  const hit = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!hit)
    throw new Error(
      `no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  return hit as Record<string, any>;
}
