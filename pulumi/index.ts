/**
 * The Pulumi program (Pulumi.yaml `main`): the stack name picks the environment
 * (`environments/<stack>.yaml`), which becomes the same model, the same PlatformStack props and
 * the same infrastructure description the Terraform JSON is checked against.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { buildModel } from '../src/model/build';
import { loadSpecs } from '../src/spec/load';
import { describeEnvironment } from './describe-environment';
import { declarePlatform } from './declare-platform';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputs = declarePlatform(
  describeEnvironment(buildModel(loadSpecs(root)), pulumi.getStack()),
);

export const ClusterName = outputs.ClusterName;
export const ClusterEndpoint = outputs.ClusterEndpoint;
export const VpcId = outputs.VpcId;
export const PostgresAddress = outputs.PostgresAddress;
export const RedisEndpoint = outputs.RedisEndpoint;
export const LangfuseBucket = outputs.LangfuseBucket;
