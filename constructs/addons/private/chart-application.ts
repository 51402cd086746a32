import type { Construct } from 'constructs';
import type { AddonName } from '../../../src/model/gitops-bridge';
import { AddonApplicationSet } from '../../gitops/addon-application-set';
import type { SyncWave } from '../../gitops/sync-waves';
import type { AddonProps } from '../addon-props';
import { CHARTS, type ChartName } from '../charts';
import { mergeValues } from './values';

export interface ChartApplicationOptions {
  readonly addon: AddonName;
  readonly chart: ChartName;
  /** Application and release name. @default the chart key */
  readonly name?: string;
  readonly namespace: string;
  readonly syncWave: SyncWave;
  readonly values?: object;
  readonly preserveResourcesOnDeletion?: boolean;
}

/** One pinned chart as an add-on ApplicationSet, with the environment's overrides merged in. */
export function chartApplication(
  scope: Construct,
  props: AddonProps,
  o: ChartApplicationOptions,
): AddonApplicationSet {
  const pin = CHARTS[o.chart];
  const name = o.name ?? o.chart;
  const override = props.valueOverrides?.[name];
  const values = o.values || override ? mergeValues(o.values ?? {}, override) : undefined;
  return new AddonApplicationSet(scope, name, {
    addon: o.addon,
    name,
    environment: props.environment,
    namespace: o.namespace,
    syncWave: o.syncWave,
    project: props.project ?? 'platform',
    source:
      pin.type === 'helm'
        ? { type: 'helm', repoUrl: pin.repoUrl, chart: pin.chart, version: pin.version }
        : { type: 'oci', repoUrl: pin.repoUrl, version: pin.version },
    ...(values ? { helmValues: values as Record<string, unknown> } : {}),
    ...(o.preserveResourcesOnDeletion ? { preserveResourcesOnDeletion: true } : {}),
  });
}
