import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { renderJson } from '../../src/synth/render';
import type { Catalog } from '@agentic-platform/agent-registry/catalog/schema';
import { CATALOG_KEY } from '@agentic-platform/agent-registry/constants';

export interface RegistryCatalogProps {
  readonly namespace: string;
  readonly name: string;
  /** The catalog, from `catalogFromEnvironment`. */
  readonly catalog: Catalog;
}

/** The catalog as a ConfigMap: stable JSON (sorted keys) under `catalog.json`. */
export class RegistryCatalog extends Construct {
  public readonly name: string;
  public readonly json: string;

  constructor(scope: Construct, id: string, props: RegistryCatalogProps) {
    super(scope, id);
    this.name = props.name;
    this.json = renderJson(props.catalog);
    // ConfigMaps hold at most 1 MiB; fail at synth rather than at apply.
    if (Buffer.byteLength(this.json) > 1_000_000) {
      throw new Error(
        `RegistryCatalog ${props.name}: catalog is ${Buffer.byteLength(this.json)} bytes, over the 1 MiB ConfigMap limit; split the environment or move the catalog to an object store`,
      );
    }
    new kplus.k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      data: { [CATALOG_KEY]: this.json },
    });
  }
}
