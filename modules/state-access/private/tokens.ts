import { rejectReferences } from '../../private/references';
import type { StatePermissionsProps } from '../state-permissions';

/**
 * The policy's statements depend on the bucket name, the keys and the workspaces, so those must be known
 * at synth time: a reference to another resource's attribute cannot be checked or rendered.
 */
export function rejectTokens(context: string, props: StatePermissionsProps): void {
  const grants = (['canApply', 'canPlan', 'canRead'] as const).flatMap((list) =>
    (props[list] ?? []).flatMap((grant, i) => [
      [`${list}[${i}].key`, grant.key] as const,
      [`${list}[${i}].workspaceKeyPrefix`, grant.workspaceKeyPrefix] as const,
      [`${list}[${i}].workspaces`, grant.workspaces] as const,
    ]),
  );
  rejectReferences(context, {
    stateBucketArn: props.stateBucketArn,
    lockTableArn: props.lockTableArn,
    stateBucketKmsKeyArn: props.stateBucketKmsKeyArn,
    lockTableKmsKeyArn: props.lockTableKmsKeyArn,
    ...Object.fromEntries(grants),
  });
}
