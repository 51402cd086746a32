import type { EnvironmentModel } from '../model/types';
import { synthTerraform } from '../terraform/synth-terraform';
import { addFile, type OutputFiles } from './output';

/** `terraform/cdk.tf.json`: the environment's AWS stack, applied by Terraform or OpenTofu. */
export function terraformLayer(env: EnvironmentModel, out: OutputFiles): void {
  for (const [path, content] of synthTerraform(env)) addFile(out, path, content);
}
