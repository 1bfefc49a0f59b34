/**
 * Managed policy ARNs: AWS managed policies by name, and the typed reference to a permissions boundary.
 * No cdktf import.
 */
import { awsManagedPolicyFindings } from '../core/aws-managed-policies';
import { partitionFindings } from '../core/iam-identifiers';
import { managedPolicyArnFindings } from '../core/managed-policy-arns';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import type { PolicyDocument } from '../core/policy-document';
import { type Finding, throwIfAny } from '../core/policy-error';

/**
 * A permissions boundary that other constructs take (delegated role creation, `Role`): a customer managed
 * policy's ARN and the document it holds, so the taker can compare what it grants with the ceiling.
 */
export interface IPermissionsBoundary {
  /** The ARN of the managed policy (may be a reference, e.g. an `aws_iam_policy`'s `arn`). */
  readonly arn: string;
  /** The policy it holds. */
  readonly document: PolicyDocument;
}

// A managed policy's ARN is core/iam-identifiers.ts's MANAGED_POLICY_ARN. CreateRole's PermissionsBoundary is
// "The ARN of the managed policy that is used to set the permissions boundary for the role" (IAM API reference).

/**
 * Findings for a literal ARN given as a permissions boundary: it must be a managed policy's
 * (`managedPolicyArnFindings`), and an AWS managed one must be one AWS offers today
 * (`AWS_MANAGED_POLICY_UNKNOWN`).
 */
export function permissionsBoundaryArnFindings(field: string, arn: string): Finding[] {
  return managedPolicyArnFindings(field, arn, {
    example: 'arn:aws:iam::111111111111:policy/PermissionsBoundary',
    orElse: "pass a PermissionsBoundary (or an aws_iam_policy's arn); a boundary is a managed policy, and inline policies and roles cannot be boundaries",
  });
}

/** The ARN of `boundary`, whichever way it was given. */
export function boundaryArnOf(boundary: IPermissionsBoundary | string): string {
  return typeof boundary === 'string' ? boundary : boundary.arn;
}

/**
 * The ARN of the AWS managed policy `name` under `path`: `awsManagedPolicyArn('ReadOnlyAccess')` is
 * `arn:aws:iam::aws:policy/ReadOnlyAccess`. AWS managed policies have paths of their own (`/service-role/`,
 * `/job-function/`, …): give the one AWS lists for the policy; it is never guessed here. `path` may be
 * written with or without its leading `/`. A name and path that are not one of AWS's current managed policies
 * throw `AWS_MANAGED_POLICY_UNKNOWN`, naming the nearest that is.
 */
export function awsManagedPolicyArn(name: string, path = '/', partition = 'aws'): string {
  const fullPath = path.startsWith('/') ? path : `/${path}`;
  throwIfAny('awsManagedPolicyArn', [...iamNameFindings('name', name, 'policy'), ...iamPathFindings('path', fullPath), ...partitionFindings('partition', partition)]);
  const arn = `arn:${partition}:iam::aws:policy${fullPath}${name}`;
  throwIfAny('awsManagedPolicyArn', awsManagedPolicyFindings('name', arn));
  return arn;
}
