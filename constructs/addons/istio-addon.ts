import { Construct } from 'constructs';
import type { AddonProps, Placement } from './addon-props';
import { CHARTS } from './charts';
import { chartApplication } from './private/chart-application';
import { ISTIO } from '../../src/model/conventions';

/** Values we set on istio/istiod 1.30.3 (user-facing paths, no `_internal_defaults_do_not_set`). */
export interface IstiodValues {
  /** Loads files/profile-ambient.yaml (templates/zzz_profile.yaml): PILOT_ENABLE_AMBIENT etc. */
  readonly profile: 'ambient';
  readonly global: { readonly hub: string; readonly tag: string };
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
  readonly autoscaleMin: number;
  readonly replicaCount: number;
}

/** Values we set on istio/cni 1.30.3: a DaemonSet on every node, so no placement. */
export interface IstioCniValues {
  readonly profile: 'ambient';
  readonly global: { readonly hub: string; readonly tag: string };
}

/** Values we set on istio/ztunnel 1.30.3 (top-level hub/tag): a DaemonSet on every node. */
export interface ZtunnelValues {
  readonly hub: string;
  readonly tag: string;
}

export interface IstioAddonProps extends AddonProps {
  /** @default 'istio-system' */
  readonly namespace?: string;
  /**
   * Image registry. The vendored values carry Istio's dev placeholders
   * (`registry.istio.io/testing`, `latest`); released charts use `docker.io/istio`.
   *
   * @default 'docker.io/istio'
   */
  readonly hub?: string;
}

/**
 * Istio in ambient mode: base (CRDs), istiod, CNI and ztunnel, in the order and with the
 * profile the istio.io ambient Helm install uses. istiod does not set
 * PILOT_ENABLE_AGENTGATEWAY: the platform uses the standalone agentgateway controller's
 * `agentgateway` class, not Istio's `istio-agentgateway` classes.
 */
export class IstioAddon extends Construct {
  constructor(scope: Construct, id: string, props: IstioAddonProps) {
    super(scope, id);
    const ns = props.namespace ?? ISTIO.namespace;
    const ha = props.highAvailability ?? false;
    const image = { hub: props.hub ?? 'docker.io/istio', tag: CHARTS.istiod.version };
    chartApplication(this, props, {
      addon: 'istio',
      chart: 'istio-base',
      namespace: ns,
      syncWave: 'crds',
      preserveResourcesOnDeletion: true,
    });
    const istiod: IstiodValues = {
      profile: 'ambient',
      global: image,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      autoscaleMin: ha ? 2 : 1,
      replicaCount: ha ? 2 : 1,
    };
    chartApplication(this, props, {
      addon: 'istio',
      chart: 'istiod',
      namespace: ns,
      syncWave: 'operators',
      values: istiod,
    });
    const cni: IstioCniValues = { profile: 'ambient', global: image };
    chartApplication(this, props, {
      addon: 'istio',
      chart: 'istio-cni',
      namespace: ns,
      syncWave: 'operators',
      values: cni,
    });
    const ztunnel: ZtunnelValues = image;
    chartApplication(this, props, {
      addon: 'istio',
      chart: 'ztunnel',
      namespace: ns,
      syncWave: 'operators',
      values: ztunnel,
    });
  }
}
