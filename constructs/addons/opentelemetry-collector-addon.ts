import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** Values we set on opentelemetry-collector 0.170.0. */
export interface OpenTelemetryCollectorValues {
  readonly fullnameOverride: string;
  readonly mode: 'deployment';
  readonly image: { readonly repository: string };
  readonly command: { readonly name: string };
  readonly replicaCount: number;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
  readonly ports: { readonly metrics: { readonly enabled: boolean } };
  readonly serviceMonitor: { readonly enabled: boolean };
  readonly extraEnvs: readonly {
    readonly name: string;
    readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
  }[];
  /** Collector configuration, merged by the chart over its defaults (a free-form map). */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface OpenTelemetryCollectorAddonProps extends AddonProps {
  /** Service name tenants send OTLP to (env.telemetry.collectorService). */
  readonly serviceName: string;
  /** Namespace (env.telemetry.namespace). */
  readonly namespace: string;
  /** Langfuse's OTLP/HTTP base URL, e.g. `http://langfuse-web.langfuse.svc.cluster.local:3000/api/public/otel`. */
  readonly langfuseOtlpEndpoint: string;
  /** Secret in `namespace` whose `authorization` key holds `Basic base64(publicKey:secretKey)`. */
  readonly langfuseAuthSecret: string;
}

/**
 * The platform's OTLP collector: receives traces from agents, gateways and tools on the
 * standard OTLP ports and exports them to Langfuse over OTLP/HTTP. OTLP carries the W3C trace
 * context (trace id, span id, parent, trace state) as-is, so a trace started by a
 * `traceparent` header at the gateway stays one trace across agents and tools in Langfuse.
 */
export class OpenTelemetryCollectorAddon extends Construct {
  constructor(scope: Construct, id: string, props: OpenTelemetryCollectorAddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const monitor = props.monitoring ?? true;
    const values: OpenTelemetryCollectorValues = {
      fullnameOverride: props.serviceName,
      mode: 'deployment',
      image: {
        repository:
          'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s',
      },
      command: { name: 'otelcol-k8s' },
      replicaCount: ha ? 2 : 1,
      podDisruptionBudget: { enabled: ha },
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      ports: { metrics: { enabled: monitor } },
      serviceMonitor: { enabled: monitor },
      extraEnvs: [
        {
          name: 'LANGFUSE_AUTHORIZATION',
          valueFrom: { secretKeyRef: { name: props.langfuseAuthSecret, key: 'authorization' } },
        },
      ],
      config: {
        processors: {
          memory_limiter: {
            check_interval: '1s',
            limit_percentage: 80,
            spike_limit_percentage: 25,
          },
          batch: {},
        },
        exporters: {
          'otlphttp/langfuse': {
            endpoint: props.langfuseOtlpEndpoint,
            headers: { Authorization: '${env:LANGFUSE_AUTHORIZATION}' },
          },
        },
        service: {
          pipelines: {
            traces: {
              receivers: ['otlp'],
              processors: ['memory_limiter', 'batch'],
              exporters: ['otlphttp/langfuse'],
            },
          },
        },
      },
    };
    chartApplication(this, props, {
      addon: 'opentelemetry-collector',
      chart: 'opentelemetry-collector',
      namespace: props.namespace,
      syncWave: 'services',
      values,
    });
  }
}
