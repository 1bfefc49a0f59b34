import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { throwIfAny } from '../core/policy-error';

/**
 * A Terraform output under its own name (`role_arn`), not cdktf's hashed one, as the HCL modules these
 * constructs reproduce name theirs; only when the caller asked for outputs with an `outputPrefix` (the
 * empty string included). Without one, nothing is written: a library construct that wrote top-level
 * outputs of its own would take names from the stack it is put in, and a second construct of the same
 * kind would collide with the first. Two outputs of one stack with the same name fail at synth, naming
 * the construct and telling the caller to set a prefix of its own.
 */
export function stackOutput(scope: Construct, prefix: string | undefined, name: string, value: string, description: string): TerraformOutput | undefined {
  if (prefix === undefined) return undefined;
  const full = `${prefix}${name}`;
  const stack = TerraformStack.of(scope);
  const taken = stack.node.findAll().some((c) => c instanceof TerraformOutput && c.friendlyUniqueId === full);
  if (taken) {
    throwIfAny(scope.node.path, [
      { field: 'outputPrefix', value: full, problem: 'another output of this stack already has this name', fix: 'set an outputPrefix of its own for each construct in the stack, e.g. "ci_"' },
    ]);
  }
  const output = new TerraformOutput(scope, full, { value, description });
  output.overrideLogicalId(full);
  return output;
}
