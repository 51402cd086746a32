import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

export interface DefaultStorageClassProps {
  /** StorageClass name. */
  readonly name: string;
  /**
   * EBS volume type.
   *
   * @default 'gp3'
   */
  readonly volumeType?: 'gp3' | 'io2';
}

/** Annotation that makes a StorageClass the one PVCs without a class get (Kubernetes). */
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/**
 * The cluster's default StorageClass: encrypted EBS through the EBS CSI driver (the managed
 * add-on the cluster stack installs). Amazon EKS stopped marking gp2 as default from 1.30
 * (EKS "Kubernetes versions" release notes), so without this every PVC that names no class —
 * the CloudNativePG clusters, ClickHouse, Prometheus — would stay Pending and stall the sync
 * waves behind it. WaitForFirstConsumer creates each volume in its pod's zone.
 */
export class DefaultStorageClass extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: DefaultStorageClassProps) {
    super(scope, id);
    this.name = props.name;
    new k8s.KubeStorageClass(this, 'Resource', {
      metadata: { name: props.name, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: props.volumeType ?? 'gp3', encrypted: 'true' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  }
}
