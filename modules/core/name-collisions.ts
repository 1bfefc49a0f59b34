/**
 * Two resources that write the same IAM name where IAM keeps one: found at synth, before `terraform apply`
 * fails half-way (a second role, user, group, managed policy or instance profile of one name) or, worse,
 * succeeds with one resource silently replacing the other (a second inline policy of one name on one
 * principal, a second policy on one bucket). Pure: the constructs' side (modules/private/name-collisions.ts)
 * reads the stacks and hands the names here.
 *
 * What IAM and S3 keep one of, from their API references:
 * - CreateRole, CreateUser, CreateGroup, CreatePolicy: "IAM user, group, role, and policy names must be unique
 *   within the account. Names are not distinguished by case. For example, you cannot create resources named
 *   both "MyResource" and "myresource"." The path is not part of the name (CreateGroup: "Do not include the
 *   path in this value"), so two paths do not make two names.
 * - CreateInstanceProfile names "the instance profile to create" within the account, path aside (the AWS
 *   provider's aws_iam_instance_profile: a name already used "even if you have different role or path values"
 *   fails with EntityAlreadyExists). Its page does not say whether case counts, so instance profile names are
 *   compared exactly: a collision reported is a certain one.
 * - PutRolePolicy, PutUserPolicy, PutGroupPolicy: "Adds or updates an inline policy document that is
 *   embedded in the specified IAM role" (user, group): a second policy of the same name on the same
 *   principal replaces the first at every apply. Inline policy names are compared exactly, principals as IAM
 *   names (without case).
 * - CreateOpenIDConnectProvider, Url: "You cannot register the same provider multiple times in a single AWS
 *   account. If you try to submit a URL that has already been used for an OpenID Connect provider in the AWS
 *   account, you will get an error." URLs are compared exactly.
 * - Organizations CreatePolicy fails with DuplicatePolicyException, "A policy with the same name already
 *   exists" (Organizations API reference). Whether two policy types may share a name it does not say, so
 *   names are compared within a type (`SERVICE_CONTROL_POLICY:deny-leaving`), exactly.
 * - PutBucketPolicy applies the one policy of a bucket (aws_s3_bucket_policy: one per bucket), and bucket
 *   names are global: two bucket policies of one bucket replace each other whatever account they are
 *   written from.
 */
import type { Finding } from './policy-error';

/** What IAM or S3 keeps one of. */
export type IamNameKind = 'role' | 'user' | 'group' | 'managed policy' | 'instance profile' | 'inline policy' | 'OIDC provider' | 'organizations policy' | 'bucket policy';

/** One resource's name, as the collision check compares it. */
export interface IamNameEntry {
  readonly kind: IamNameKind;
  /**
   * The account the name lives in, as far as synth can tell: `account:<12 digits>`, or, when the AWS
   * provider names no account, `provider:<stack>/<alias>` (`…/default` for the provider without an alias):
   * two such providers may be two accounts, in one stack or in two, so names are compared only through
   * the same provider of the same stack. Bucket policies ignore it.
   */
  readonly namespace: string;
  /**
   * The name, written out or as the Terraform expression it resolves to (`${var.role_name}`). For an inline
   * policy: the principal and the policy name (`role:ci/terraform-state-access`); for a bucket policy, the bucket.
   */
  readonly name: string;
  /** Whether `name` is written out (an expression is compared only with the same expression, in one stack). */
  readonly literal: boolean;
  /** The path of the construct that writes it. */
  readonly path: string;
  /** The stack it is in. */
  readonly stack: string;
  /** The Terraform resource type (`aws_iam_role`), for the message. */
  readonly resourceType: string;
}

/** Kinds whose names IAM does not distinguish by case (the API reference's words above). */
const CASE_INSENSITIVE: ReadonlySet<IamNameKind> = new Set(['role', 'user', 'group', 'managed policy']);

const WHAT: { readonly [K in IamNameKind]: { readonly problem: string; readonly fix: string } } = {
  role: { problem: 'IAM role names are unique in an account, whatever the case: the second CreateRole fails with EntityAlreadyExists', fix: 'give one of the roles another name' },
  user: { problem: 'IAM user names are unique in an account, whatever the case: the second CreateUser fails with EntityAlreadyExists', fix: 'give one of the users another name' },
  group: { problem: 'IAM group names are unique in an account, whatever the case: the second CreateGroup fails with EntityAlreadyExists', fix: 'give one of the groups another name' },
  'managed policy': {
    problem: 'IAM policy names are unique in an account, whatever the case and the path: the second CreatePolicy fails with EntityAlreadyExists',
    fix: 'give one of the policies another name (a CiPolicy takes name)',
  },
  'instance profile': {
    problem: 'instance profile names are unique in an account, whatever the path: the second CreateInstanceProfile fails with EntityAlreadyExists',
    fix: 'give one of the instance profiles another name',
  },
  'OIDC provider': {
    problem: 'an account registers an OIDC provider once per URL: the second CreateOpenIDConnectProvider fails with EntityAlreadyExists',
    fix: 'create the provider once and pass it (its .provider) to every role that trusts it',
  },
  'organizations policy': {
    problem: 'an organization has one policy of a name: the second CreatePolicy fails with DuplicatePolicyException',
    fix: 'give one of the policies another name (a ServiceControlPolicy takes name)',
  },
  'inline policy': {
    problem: 'a principal has one inline policy of a name: each apply, PutRolePolicy (PutUserPolicy, PutGroupPolicy) of one replaces the other',
    fix: 'give one of the inline policies another name, or merge their statements into one',
  },
  'bucket policy': {
    problem: 'a bucket has one bucket policy: each apply, PutBucketPolicy of one replaces the other',
    fix: "merge the two documents into one BucketPolicy (its statements' Sids apart)",
  },
};

/** The key two entries collide on: the same kind, account (except bucket policies) and name. */
function collisionKey(entry: IamNameEntry): string {
  const name = CASE_INSENSITIVE.has(entry.kind) ? entry.name.toLowerCase() : entry.name;
  return JSON.stringify([entry.kind, entry.kind === 'bucket policy' ? '' : entry.namespace, name]);
}

/**
 * A finding for each entry whose name an earlier entry already writes, in the order given: named by the
 * later construct's path (the `context` to report it under) and naming the earlier one. With
 * `acrossStacksOnly`, only pairs from two stacks, and only literal names (an expression means something
 * else in another stack).
 */
export function iamNameCollisions(entries: readonly IamNameEntry[], options: { readonly acrossStacksOnly?: boolean } = {}): { path: string; finding: Finding }[] {
  const first = new Map<string, IamNameEntry>();
  const collisions: { path: string; finding: Finding }[] = [];
  for (const entry of entries) {
    if (options.acrossStacksOnly && !entry.literal) continue;
    const key = collisionKey(entry);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, entry);
      continue;
    }
    if (options.acrossStacksOnly && earlier.stack === entry.stack) continue;
    const what = WHAT[entry.kind];
    const as = earlier.name === entry.name ? '' : ` as ${JSON.stringify(earlier.name)}`;
    const where = entry.kind === 'bucket policy' ? '' : ` ${namespaceWords(entry.namespace)}`;
    collisions.push({
      path: entry.path,
      finding: {
        field: `(${entry.resourceType})`,
        value: entry.name,
        problem: `${earlier.path} (${earlier.resourceType}) writes it too${as}${where}: ${what.problem}`,
        fix: what.fix,
        code: 'IAM_NAME_COLLISION',
      },
    });
  }
  return collisions;
}

function namespaceWords(namespace: string): string {
  if (namespace.startsWith('account:')) return `in account ${namespace.slice('account:'.length)}`;
  const provider = namespace.slice('provider:'.length);
  return `through the same AWS provider (${provider.slice(provider.lastIndexOf('/') + 1)}), which names no account`;
}
