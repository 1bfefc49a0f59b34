import { Token } from 'cdktf';
import { type Finding, throwIfAny } from '../../core/policy-error';
import type { StatePermissionsProps } from '../state-permissions';

/**
 * The policy's statements depend on the bucket name, the keys and the workspaces, so those must be known
 * at synth time: a reference to another resource's attribute (a token) cannot be checked or rendered.
 */
export function rejectTokens(context: string, props: StatePermissionsProps): void {
  const findings: Finding[] = [];
  const check = (field: string, value: unknown) => {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      findings.push({
        field,
        value,
        problem: 'is a reference resolved only at apply time, so the policy cannot be built or checked at synth',
        fix: 'pass the literal value (an ARN or key written out)',
      });
    }
  };
  check('stateBucketArn', props.stateBucketArn);
  check('lockTableArn', props.lockTableArn);
  check('stateBucketKmsKeyArn', props.stateBucketKmsKeyArn);
  check('lockTableKmsKeyArn', props.lockTableKmsKeyArn);
  for (const list of ['canApply', 'canPlan', 'canRead'] as const) {
    (props[list] ?? []).forEach((grant, i) => {
      check(`${list}[${i}].key`, grant.key);
      check(`${list}[${i}].workspaceKeyPrefix`, grant.workspaceKeyPrefix);
      (grant.workspaces ?? []).forEach((w, j) => check(`${list}[${i}].workspaces[${j}]`, w));
    });
  }
  throwIfAny(context, findings);
}
