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
  const taken = stack.node.findAll().find((c): c is TerraformOutput => c instanceof TerraformOutput && c.friendlyUniqueId === full);
  if (taken !== undefined) {
    // The finding's value is the prefix the caller gave (it is the field named); the clashing output's
    // name, and whose it is, are in the problem.
    const owner = taken.node.scope?.node.path;
    throwIfAny(scope.node.path, [
      {
        field: 'outputPrefix',
        value: prefix,
        problem: `gives the output "${full}", which another output of this stack already has${owner ? ` (written by ${owner})` : ''}`,
        fix: 'set an outputPrefix of its own for each construct in the stack, e.g. "ci_"',
      },
    ]);
  }
  const output = new TerraformOutput(scope, full, { value, description });
  output.overrideLogicalId(full);
  return output;
}
