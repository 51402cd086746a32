import { stringify } from 'yaml';
import { describePlatform } from '../src/infrastructure/describe-platform';
import type { EnvironmentModel } from '../src/model/types';
import { platformStackProps } from '../src/terraform/stack-props';
import { environmentShared } from '../src/model/environment-shared';

/** Where a stack file lives, relative to the repository root. */
export const stackFilePath = (environment: string) => `pulumi/Pulumi.${environment}.yaml`;

/**
 * The Pulumi DIY backend of an environment: the bucket the Terraform state is in, under its
 * own `pulumi/` prefix, so both engines' state sits in the account it describes and neither
 * can overwrite the other's.
 */
export function stateUrl(env: EnvironmentModel): string {
  const s = describePlatform(platformStackProps(environmentShared(env))).state;
  return `s3://${s.bucket}/pulumi?region=${s.region}`;
}

/**
 * `Pulumi.<env>.yaml`: the stack of one environment. The program reads nothing from it (the
 * stack name picks environments/<env>.yaml); the default AWS provider settings are there for
 * `pulumi import`, which runs outside the program, so an import with the wrong credentials
 * fails as a plan does.
 */
export function stackFile(env: EnvironmentModel): string {
  const aws = describePlatform(platformStackProps(environmentShared(env))).awsProvider;
  const header = [
    `# Generated from ${env.sourceFile} by npm run pulumi:stacks; do not edit.`,
    `# State: pulumi login '${stateUrl(env)}'`,
  ];
  const body = stringify({
    config: { 'aws:region': aws.region, 'aws:allowedAccountIds': [...aws.allowedAccountIds] },
  });
  return `${header.join('\n')}\n${body}`;
}
