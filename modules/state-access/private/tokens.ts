import { rejectReferences } from '../../private/references';
import type { StatePermissionsProps } from '../state-permissions';

/**
 * The policy's statements depend on the bucket name, the keys and the workspaces, so those must be known
 * at synth time: a reference to another resource's attribute cannot be checked or rendered.
 */
export function rejectTokens(context: string, props: StatePermissionsProps): void {
  // Values of the wrong type are left to the input check (inputFindings), which names them.
  const grants = (['canApply', 'canPlan', 'canRead'] as const).flatMap((list) => {
    const value: unknown = props[list];
    if (!Array.isArray(value)) return [];
    return value.flatMap((grant: unknown, i) => {
      if (typeof grant !== 'object' || grant === null) return [];
      const { key, workspaceKeyPrefix, workspaces } = grant as Record<string, unknown>;
      return [
        [`${list}[${i}].key`, key],
        [`${list}[${i}].workspaceKeyPrefix`, workspaceKeyPrefix],
        [`${list}[${i}].workspaces`, workspaces],
      ] as [string, string | readonly string[] | undefined][];
    });
  });
  rejectReferences(context, {
    stateBucketArn: props.stateBucketArn,
    lockTableArn: props.lockTableArn,
    stateBucketKmsKeyArn: props.stateBucketKmsKeyArn,
    lockTableKmsKeyArn: props.lockTableKmsKeyArn,
    ...Object.fromEntries(grants),
  });
}
