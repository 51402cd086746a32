import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  policyDocument,
  serviceTrustPolicy,
  type PolicyStatement,
} from '../../src/infrastructure/policy';

export type { PolicyStatement } from '../../src/infrastructure/policy';

export interface PodIdentityRoleProps {
  /** EKS cluster the association belongs to. */
  readonly clusterName: string;
  /** IAM role name. */
  readonly roleName: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account whose pods get the role's credentials. */
  readonly serviceAccount: string;
  /**
   * Inline permissions, each scoped to the resources it needs.
   *
   * @default - no inline policy
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * AWS managed policies to attach, by ARN.
   *
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role that one Kubernetes service account assumes through EKS Pod Identity: the
 * role trusts only the Pod Identity service, and the association binds it to exactly one
 * namespace/service account, so no other pod can obtain it.
 */
export class PodIdentityRole extends Construct {
  public readonly role: IamRole;
  public readonly roleArn: string;
  public readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    const statements = props.statements ?? [];
    const managed = props.managedPolicyArns ?? [];
    if (statements.length === 0 && managed.length === 0) {
      throw new Error(
        `${props.roleName}: give statements or managedPolicyArns; a role without permissions needs no Pod Identity`,
      );
    }
    const wildcard = statements.find(
      (s) => s.actions.some((a) => a === '*' || a.endsWith(':*')) && s.resources.includes('*'),
    );
    if (wildcard) {
      throw new Error(
        `statements.${wildcard.sid}: wildcard actions on resource "*" are not least privilege; name the actions or scope the resources`,
      );
    }
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      assumeRolePolicy: serviceTrustPolicy('pods.eks.amazonaws.com', [
        'sts:AssumeRole',
        'sts:TagSession',
      ]),
    });
    this.roleArn = this.role.arn;
    if (statements.length > 0) {
      new IamRolePolicy(this, 'Policy', {
        role: this.role.name,
        name: props.roleName,
        policy: policyDocument(statements),
      });
    }
    managed.forEach(
      (policyArn, i) =>
        new IamRolePolicyAttachment(this, `Managed${i}`, { role: this.role.name, policyArn }),
    );
    this.association = new EksPodIdentityAssociation(this, 'Resource', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}
