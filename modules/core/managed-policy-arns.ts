/**
 * The findings for a literal managed policy ARN, written once for every construct that takes one (a role's
 * managed policies and permissions boundary, a group's attachments, a delegated boundary). No cdktf import.
 *
 * A managed policy's ARN is `MANAGED_POLICY_ARN` (iam-identifiers.ts):
 * `arn:<partition>:iam::<account ID or "aws">:policy/<path><name>`. It never holds `*` or `?`: a policy name
 * is `[\w+=,.@-]+`, and CreatePolicy's `Path` is `((/[A-Za-z0-9\.,\+@=_-]+)*)/` ("You cannot use an
 * asterisk (*) in the path name", IAM API reference, CreatePolicy); an attachment or a boundary names one
 * policy, and IAM reads no wildcard in it.
 */
import { awsManagedPolicyFindings } from './aws-managed-policies';
import { AWS_MANAGED_POLICY_OWNER, IAM_PATH_MAX_LENGTH, PARTITION, parseManagedPolicyArn, partitionExamples, POLICY_OWNER } from './iam-identifiers';
import { iamNameFindings, iamPathFindings } from './iam-names';
import type { Finding } from './policy-error';

/** Whose managed policy an ARN must name: either, a customer managed one (an account's), or an AWS managed one. */
export type ManagedPolicyOwner = 'any' | 'customer' | 'aws';

export interface ManagedPolicyArnOptions {
  /** Whose policy it must be (default `'any'`). */
  readonly owner?: ManagedPolicyOwner;
  /** The account the policy is attached in: a customer managed policy must be this account's. */
  readonly account?: string;
  /** An ARN to show in the fixes (default: a policy of `owner`, of `account` when given). */
  readonly example?: string;
  /** Another way to give the policy, for the fix of an ARN that is not a managed policy's: `pass the aws_iam_policy's arn`. */
  readonly orElse?: string;
  /** The fix when the policy is the other owner's: `move it to awsManagedPolicies`. */
  readonly otherOwnerFix?: string;
}

/** How a managed policy ARN is written, for the problem of one that is not. */
export const MANAGED_POLICY_ARN_FORM = 'arn:<partition>:iam::<account ID or "aws">:policy/<path><name>';

const POLICY_ARN_PARTS = /^arn:([^:]*):iam::([^:]*):policy(\/.*)$/s;

function defaultExample(owner: ManagedPolicyOwner, account: string | undefined): string {
  return owner === 'aws' ? 'arn:aws:iam::aws:policy/ReadOnlyAccess' : `arn:aws:iam::${account ?? '111111111111'}:policy/ci-web`;
}

/**
 * Why `arn`, written like a policy ARN (`arn:…:iam::…:policy/…`), is not a managed policy's, or undefined
 * when it is not written like one (or is one): the partition, the owner, the path or the name.
 */
function formProblem(arn: string): string | undefined {
  const parts = POLICY_ARN_PARTS.exec(arn);
  if (parts === null) return undefined;
  const [, partition, owner, resource] = parts;
  if (!PARTITION.test(partition)) return `${JSON.stringify(partition)} is not an AWS partition (${partitionExamples("'")})`;
  if (!POLICY_OWNER.test(owner)) return `'${owner}' is neither "aws" (an AWS managed policy) nor a 12-digit account ID`;
  const slash = resource.lastIndexOf('/');
  const path = iamPathFindings('path', resource.slice(0, slash + 1));
  if (path.length > 0) return `the policy's path: ${path[0].problem}`;
  const name = iamNameFindings('name', resource.slice(slash + 1), 'policy');
  if (name.length > 0) return `the policy's name: ${name[0].problem}`;
  return undefined;
}

/**
 * Findings for a literal managed policy ARN at `field`, the first that applies, in this order: it holds a
 * wildcard; it is not a managed policy's ARN (`MANAGED_POLICY_ARN`, its path within IAM's length, saying
 * which part is wrong when it is written like one); it is not `owner`'s; it is a customer managed policy of
 * another account than `account`; it is an AWS managed policy AWS does not offer (`awsManagedPolicyFindings`,
 * naming the nearest that is). None for an ARN that passes them all.
 */
export function managedPolicyArnFindings(field: string, arn: string, options: ManagedPolicyArnOptions = {}): Finding[] {
  const owner = options.owner ?? 'any';
  const account = options.account;
  const example = options.example ?? defaultExample(owner, account);
  const writeIt = `write it like "${example}"${options.orElse === undefined ? '' : `, or ${options.orElse}`}`;
  if (typeof arn === 'string' && /[*?]/.test(arn)) {
    return [{ field, value: arn, problem: 'holds a wildcard (* or ?): a managed policy ARN names one policy, and no policy name or path holds * or ?', fix: `name the policy, e.g. "${example}"` }];
  }
  const parsed = parseManagedPolicyArn(arn);
  const pathTooLong = parsed !== undefined && parsed.path.length > IAM_PATH_MAX_LENGTH;
  const reason = typeof arn !== 'string' ? undefined : parsed === undefined ? formProblem(arn) : pathTooLong ? `the policy's path is over IAM's ${IAM_PATH_MAX_LENGTH} characters` : undefined;
  if (parsed === undefined || pathTooLong) {
    return [{ field, value: arn, problem: `not an IAM managed policy ARN (${MANAGED_POLICY_ARN_FORM})${reason === undefined ? '' : `: ${reason}`}`, fix: writeIt }];
  }
  const awsOwned = parsed.owner === AWS_MANAGED_POLICY_OWNER;
  if (owner === 'customer' && awsOwned) {
    const fix = `${options.otherOwnerFix === undefined ? '' : `${options.otherOwnerFix}, or `}name a customer managed policy, e.g. "${example}"`;
    return [{ field, value: arn, problem: 'an AWS managed policy, not a customer managed one', fix }];
  }
  if (owner === 'aws' && !awsOwned) {
    const fix = `${options.otherOwnerFix === undefined ? '' : `${options.otherOwnerFix}, or `}name an AWS managed policy, e.g. "${example}"`;
    return [{ field, value: arn, problem: 'a customer managed policy, not an AWS managed one', fix }];
  }
  if (!awsOwned && account !== undefined && parsed.owner !== account) {
    return [
      {
        field,
        value: arn,
        problem: `a customer managed policy of account ${parsed.owner}, not of account ${account}: IAM takes a managed policy of the principal's own account or an AWS managed policy`,
        fix: `use the policy of account ${account}, e.g. "${example}"`,
      },
    ];
  }
  return awsManagedPolicyFindings(field, arn);
}
