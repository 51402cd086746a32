import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { PROBE_PATHS } from '@agentic-platform/agent-registry/constants';

export interface RegistryServiceMonitorProps {
  readonly namespace: string;
  readonly name: string;
  /** Labels of the registry Service. */
  readonly selector: Readonly<Record<string, string>>;
  /** @default '30s' */
  readonly interval?: string;
}

/** Prometheus scrapes the registry's `/metrics` on the Service's `http` port. */
export class RegistryServiceMonitor extends Construct {
  constructor(scope: Construct, id: string, props: RegistryServiceMonitorProps) {
    super(scope, id);
    new ServiceMonitor(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [{ port: 'http', path: PROBE_PATHS.metrics, interval: props.interval ?? '30s' }],
      },
    });
  }
}
