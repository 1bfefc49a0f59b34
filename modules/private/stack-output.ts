import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { throwIfAny } from '../core/policy-error';

/**
 * A Terraform output under its own name (`role_arn`), not cdktf's hashed one, as the HCL modules these
 * constructs reproduce name theirs. Two outputs of one stack with the same name fail at synth, naming the
 * construct and telling the caller to set an output prefix.
 */
export function stackOutput(scope: Construct, name: string, value: string, description: string): TerraformOutput {
  const stack = TerraformStack.of(scope);
  const taken = stack.node.findAll().some((c) => c instanceof TerraformOutput && c.friendlyUniqueId === name);
  if (taken) {
    throwIfAny(scope.node.path, [
      { field: 'outputPrefix', value: name, problem: 'another output of this stack already has this name', fix: 'set an outputPrefix of its own for each construct in the stack, e.g. "ci_"' },
    ]);
  }
  const output = new TerraformOutput(scope, name, { value, description });
  output.overrideLogicalId(name);
  return output;
}
