import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';

/** A synthesized `cdk.tf.json`, as the construct tests read it. */
export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: string; description: string }>;
}

/** Synthesizes what `build` adds to a fresh stack `test` (with an AWS provider) and parses the JSON. */
export function synth(build: (stack: Construct) => void): Synthesized {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** The one resource of a type, failing the test when there is not exactly one. */
export function only<T>(resources: Record<string, T> | undefined): T {
  const values = Object.values(resources ?? {});
  expect(values).toHaveLength(1);
  return values[0];
}

/**
 * `synth`, keeping the `"//"` comments Terraform ignores and `Testing.synth` drops: where the constructs
 * write the findings a caller accepted, for the access report.
 */
export function synthWithComments(build: (stack: Construct) => void): Synthesized {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  Testing.synth(stack); // runs the aspects, as synth does
  return JSON.parse(JSON.stringify(stack.toTerraform())) as Synthesized;
}
