import { describePlatform } from '../src/infrastructure/describe-platform';
import type { InfrastructureDescription } from '../src/infrastructure/description';
import type { PlatformModel } from '../src/model/types';
import { platformStackProps } from '../src/terraform/stack-props';
import { environmentShared } from '../src/model/environment-shared';

/** The description of the environment a stack is named after; throws naming the known ones. */
export function describeEnvironment(
  model: PlatformModel,
  stack: string,
): InfrastructureDescription {
  const env = model.environments.find((e) => e.name === stack);
  if (!env) {
    throw new Error(
      `stack "${stack}" names no environment; use one of ${model.environments.map((e) => e.name).join(', ')} (pulumi stack select <env>), or add environments/${stack}.yaml`,
    );
  }
  return describePlatform(platformStackProps(environmentShared(env)));
}
