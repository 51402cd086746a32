import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHARTS, type ChartName } from '../../constructs/addons/charts';
import { VENDORED_CHARTS, VENDORED_GATEWAY_API } from '../../src/render/vendored-charts';
import { ROOT } from '../platform/synth-fixture';

describe('vendored charts', () => {
  it.each(Object.keys(CHARTS) as ChartName[])('vendors %s at its pinned version', (chart) => {
    const { dir, standIn } = VENDORED_CHARTS[chart];
    const meta = parse(
      readFileSync(path.join(ROOT, 'vendor/charts', dir, 'Chart.yaml'), 'utf8'),
    ) as { version: string };
    if (standIn) expect(standIn.length).toBeGreaterThan(20);
    else expect(meta.version).toBe(CHARTS[chart].version);
  });

  it('vendors the Gateway API CRDs at the pinned tag', () => {
    expect(
      existsSync(
        path.join(
          ROOT,
          'vendor/charts',
          VENDORED_GATEWAY_API.dir,
          'gateway.networking.k8s.io_httproutes.yaml',
        ),
      ),
    ).toBe(true);
  });

  it('records every vendored folder in SOURCES.md', () => {
    const sources = readFileSync(path.join(ROOT, 'vendor/charts/SOURCES.md'), 'utf8');
    for (const { dir } of [...Object.values(VENDORED_CHARTS), VENDORED_GATEWAY_API])
      expect(sources).toContain(`\`${dir}/\``);
  });
});
