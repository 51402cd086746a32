import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RouteDurationHistogram } from '@agentic-platform/agent-registry/route-duration-histogram';

const BUCKETS = [0.001, 0.01, 0.1, 1];
/** Observations that land below, on and between the bounds and above all of them. */
const OBSERVATIONS: [method: string, route: string, status: number, seconds: number][] = [
  ['GET', '/v1/agents', 200, 0.0004],
  ['GET', '/v1/agents', 200, 0.001],
  ['POST', '/ext-authz/*', 200, 0.003],
  ['GET', '/v1/agents', 404, 0.2],
  ['POST', '/ext-authz/*', 403, 7],
  ['GET', '/v1/agents', 200, 0.05],
  ['POST', '/ext-authz/*', 200, 0.003],
];

function both() {
  const ours = new Registry();
  const theirs = new Registry();
  const h = new RouteDurationHistogram('req_seconds', 'latency', BUCKETS, ours);
  const reference = new Histogram({
    name: 'req_seconds',
    help: 'latency',
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers: [theirs],
  });
  for (const [method, route, status, seconds] of OBSERVATIONS) {
    h.record(method, route, status, seconds);
    reference.observe({ method, route, status: String(status) }, seconds);
  }
  return { ours, theirs, h };
}

const sortedLines = (text: string) => text.split('\n').sort();

describe('RouteDurationHistogram', () => {
  it("scrapes as the same text as prom-client's Histogram fed the same observations", async () => {
    const { ours, theirs } = both();
    const text = await ours.metrics();
    expect(text).toContain(
      'req_seconds_bucket{le="0.01",method="POST",route="/ext-authz/*",status="200"} 2',
    );
    expect(text).toContain(
      'req_seconds_bucket{le="+Inf",method="POST",route="/ext-authz/*",status="403"} 1',
    );
    expect(text).toContain('req_seconds_sum{method="GET",route="/v1/agents",status="200"} 0.0514');
    expect(sortedLines(text)).toEqual(sortedLines(await theirs.metrics()));
  });

  it("returns the same JSON as prom-client's Histogram", async () => {
    const { ours, theirs } = both();
    const key = (v: { metricName?: string; labels: object }) =>
      `${v.metricName} ${JSON.stringify(v.labels)}`;
    const [mine] = await ours.getMetricsAsJSON();
    const [reference] = await theirs.getMetricsAsJSON();
    expect({
      ...mine,
      values: [...mine!.values].sort((a, b) => key(a).localeCompare(key(b))),
    }).toEqual({
      ...reference,
      values: [...reference!.values].sort((a, b) => key(a).localeCompare(key(b))),
    });
  });

  it('forgets its series on a registry reset', async () => {
    const { ours } = both();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe('# HELP req_seconds latency\n# TYPE req_seconds histogram\n');
  });

  it('refuses a non-finite duration, as prom-client does', () => {
    const { h } = both();
    expect(() => h.record('GET', '/', 200, Number.NaN)).toThrow(
      /req_seconds: NaN is not a duration/,
    );
  });

  it.each([[[]], [[0.1, 0.1]], [[1, 0.5]]])(
    'refuses buckets %j that are not increasing',
    (buckets) => {
      expect(() => new RouteDurationHistogram('x_seconds', 'x', buckets, new Registry())).toThrow(
        /x_seconds: buckets must be increasing numbers.*smallest first/,
      );
    },
  );
});
