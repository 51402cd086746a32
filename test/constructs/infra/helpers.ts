import { Testing, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Terraform JSON as the tests read it. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly [key: string]: any;
}

/**
 * Synthesizes whatever `build` adds to a fresh stack with cdktf's Testing.synthScope and
 * parses it, so tests assert on the fields Terraform reads.
 */
export function synthScope(build: (stack: TerraformStack) => void): TerraformJson {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const stack = scope as TerraformStack;
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      build(stack);
    }),
  ) as TerraformJson;
}

/** Every resource body of one type, in name order. */
export function resources(json: TerraformJson, type: string): Record<string, any>[] {
  const byName = json.resource?.[type] ?? {};
  return Object.keys(byName)
    .sort()
    .map((name) => byName[name]!);
}

/** The only resource of `type`; fails when there are none or several. */
export function only(json: TerraformJson, type: string): Record<string, any> {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}
