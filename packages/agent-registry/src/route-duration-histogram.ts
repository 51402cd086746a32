import type { Metric, Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

/**
 * What prom-client's Registry formats (registry.js `getMetricsAsString`): its own typings
 * declare `type` as a numeric enum while every metric carries the string.
 */
export interface ExportedHistogram {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: readonly ExportedValue[];
}

export interface ExportedValue {
  readonly labels: Readonly<Record<string, string | number>>;
  /** The series' labels; `get()` merges them into `labels`. */
  readonly sharedLabels?: Readonly<Record<string, string>>;
  readonly value: number;
  readonly metricName: string;
  readonly exemplar: null | undefined;
}

interface Series {
  readonly labels: Readonly<Record<Label, string>>;
  /** Observations per bucket, not cumulative; the last slot holds those above every bound. */
  readonly counts: Float64Array;
  sum: number;
}

/**
 * A Prometheus histogram of request durations by method, route template and status code,
 * counted without prom-client's work per observation.
 *
 * prom-client's `Histogram.observe` validates the labels, builds and hashes a label string and
 * allocates a record on every call; this one runs on every request, and the gateway sends one
 * per call it admits. `record` finds its series through nested maps keyed by the strings the
 * router already holds and bumps a slot of a Float64Array. A scrape exports the series in the
 * shape prom-client's own Histogram does, so the registry's text and JSON are the same
 * (test/registry/route-duration-histogram.test.ts compares both with a real Histogram's).
 */
export class RouteDurationHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly bounds: Float64Array;
  private series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    registry: Registry,
  ) {
    if (buckets.length === 0 || buckets.some((b, i) => !(b > (buckets[i - 1] ?? -Infinity)))) {
      throw new Error(
        `${name}: buckets must be increasing numbers, got [${buckets.join(', ')}]; list each upper bound once, smallest first`,
      );
    }
    this.bounds = Float64Array.from(buckets);
    // prom-client's Registry asks a metric only for name, help, type, aggregator, get() and
    // reset() (registry.js); its typings name just its own classes, hence the cast.
    registry.registerMetric(this as unknown as Metric);
  }

  /** Counts one request that took `seconds`. */
  record(method: string, route: string, status: number, seconds: number): void {
    if (!Number.isFinite(seconds))
      throw new TypeError(`${this.name}: ${seconds} is not a duration`);
    let byMethod = this.series.get(route);
    if (!byMethod) this.series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let s = byStatus.get(status);
    if (!s) {
      s = {
        labels: { method, route, status: String(status) },
        counts: new Float64Array(this.bounds.length + 1),
        sum: 0,
      };
      byStatus.set(status, s);
    }
    const b = this.bounds;
    let i = 0;
    while (i < b.length && seconds > b[i]!) i++;
    s.counts[i]! += 1;
    s.sum += seconds;
  }

  /** The series as prom-client's Histogram exports them for the text format. */
  async getForPromString(): Promise<ExportedHistogram> {
    const values: ExportedValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const byMethod of this.series.values()) {
      for (const byStatus of byMethod.values()) {
        for (const s of byStatus.values()) {
          let acc = 0;
          for (let i = 0; i < this.bounds.length; i++) {
            acc += s.counts[i]!;
            values.push(pair({ le: this.bounds[i]! }, acc, bucket, s.labels, null));
          }
          const count = acc + s.counts[this.bounds.length]!;
          values.push(
            pair({ le: '+Inf' }, count, bucket, s.labels, null),
            pair({}, s.sum, `${this.name}_sum`, s.labels, undefined),
            pair({}, count, `${this.name}_count`, s.labels, undefined),
          );
        }
      }
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  /** The series with their labels merged, as prom-client's Histogram returns them (JSON). */
  async get(): Promise<ExportedHistogram> {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  reset(): void {
    this.series = new Map();
  }
}

/** One exported value, field for field as prom-client's histogram.js `setValuePair` makes it. */
function pair(
  labels: Record<string, string | number>,
  value: number,
  metricName: string,
  sharedLabels: Readonly<Record<Label, string>>,
  exemplar: null | undefined,
): ExportedValue {
  return { labels, sharedLabels, value, metricName, exemplar };
}
