import type { EnvironmentShared } from '../model/types';
import { synthTerraform } from '../terraform/synth-terraform';
import { environmentLayer, type Layer } from './layer';
import { addFile, type OutputFiles } from './output';

/** `terraform/cdk.tf.json`: the environment's AWS stack, applied by Terraform or OpenTofu. */
function terraformFiles(env: EnvironmentShared, out: OutputFiles): void {
  for (const [path, content] of synthTerraform(env)) addFile(out, path, content);
}

export const terraformLayer: Layer = environmentLayer(terraformFiles);
