/**
 * The readers of the IAM, Organizations and S3 resource types whose access the review models: each
 * turns one resource into facts (`read-context.ts`), which `assemble.ts` links into subjects. Which type
 * has which reader is `RESOURCE_TYPES` (`resource-table.ts`), the one table.
 */
import { literalText, referenceOf } from '../terraform-json';
import { type PrincipalKind, type ReadContext, type Resource, EXTEND_FIX } from './read-context';
import { isObject } from './terraform-config';

export function readRole(r: Resource, ctx: ReadContext): void {
  const name = ctx.literal(r, 'name', true);
  const path = r.body.path === undefined ? undefined : ctx.literal(r, 'path', false);
  const trust = ctx.policy(r, 'assume_role_policy');
  const boundary = r.body.permissions_boundary === undefined ? undefined : ctx.policyRef(r, 'permissions_boundary');
  const tags = ctx.tags(r);
  if (name === undefined) return;
  ctx.roles.set(r.address, {
    resource: r,
    name,
    ...(path !== undefined && { path }),
    ...(tags !== undefined && { tags }),
    ...(trust !== undefined && { trust }),
    ...(boundary !== undefined && { boundary }),
  });
}

export function readUser(r: Resource, ctx: ReadContext): void {
  const name = ctx.literal(r, 'name', true);
  const path = r.body.path === undefined ? undefined : ctx.literal(r, 'path', false);
  const boundary = r.body.permissions_boundary === undefined ? undefined : ctx.policyRef(r, 'permissions_boundary');
  const tags = ctx.tags(r);
  if (name === undefined) return;
  ctx.users.set(r.address, { resource: r, name, ...(path !== undefined && { path }), ...(tags !== undefined && { tags }), ...(boundary !== undefined && { boundary }) });
}

export function readGroup(r: Resource, ctx: ReadContext): void {
  const name = ctx.literal(r, 'name', true);
  const path = r.body.path === undefined ? undefined : ctx.literal(r, 'path', false);
  if (name !== undefined) ctx.groups.set(r.address, { resource: r, name, ...(path !== undefined && { path }) });
}

export function readManagedPolicy(r: Resource, ctx: ReadContext): void {
  const name = ctx.literal(r, 'name', true);
  const path = r.body.path === undefined ? undefined : ctx.literal(r, 'path', false);
  const policy = ctx.policy(r, 'policy');
  const tags = ctx.tags(r);
  if (name !== undefined) ctx.policies.set(r.address, { resource: r, name, ...(path !== undefined && { path }), ...(tags !== undefined && { tags }), ...(policy !== undefined && { policy }) });
}

/** `aws_iam_role_policy` (`role`), `aws_iam_user_policy` (`user`), `aws_iam_group_policy` (`group`). */
export function inlinePolicyReader(kind: PrincipalKind): (r: Resource, ctx: ReadContext) => void {
  return (r, ctx) => {
    const target = ctx.principal(r, kind, r.body[kind], kind);
    const name = ctx.literal(r, 'name', true);
    const policy = ctx.policy(r, 'policy');
    if (target !== undefined && name !== undefined && policy !== undefined) ctx.inline.push({ resource: r, kind, target, name, policy });
  };
}

/** `aws_iam_role_policy_attachment` (`role`), and the user's and group's. */
export function attachmentReader(kind: PrincipalKind): (r: Resource, ctx: ReadContext) => void {
  return (r, ctx) => {
    const target = ctx.principal(r, kind, r.body[kind], kind);
    const policy = ctx.policyRef(r, 'policy_arn');
    if (target !== undefined && policy !== undefined) ctx.attachments.push({ resource: r, kind, target, policy });
  };
}

/**
 * `aws_iam_policy_attachment`: one managed policy attached to the roles, users and groups listed. (It is
 * exclusive: Terraform detaches the policy from every other principal, which only takes permissions away.)
 */
export function readPolicyAttachment(r: Resource, ctx: ReadContext): void {
  const policy = ctx.policyRef(r, 'policy_arn');
  for (const [argument, kind] of [
    ['roles', 'role'],
    ['users', 'user'],
    ['groups', 'group'],
  ] as const) {
    for (const [field, value] of listArgument(r, argument, ctx)) {
      const target = ctx.principal(r, field, value, kind);
      if (target !== undefined && policy !== undefined) ctx.attachments.push({ resource: r, kind, target, policy });
    }
  }
}

/** `aws_iam_user_group_membership`: one user in the groups listed. */
export function readUserGroupMembership(r: Resource, ctx: ReadContext): void {
  const user = ctx.principal(r, 'user', r.body.user, 'user');
  for (const [field, value] of listArgument(r, 'groups', ctx, true)) {
    const group = ctx.principal(r, field, value, 'group');
    if (user !== undefined && group !== undefined) ctx.memberships.push({ resource: r, user, group });
  }
}

/**
 * `aws_iam_group_membership`: the users listed in one group. (It is exclusive: Terraform removes every
 * other user from the group, which only takes permissions away; "aws_iam_group_membership will conflict
 * with itself if used more than once with the same group", AWS provider docs.)
 */
export function readGroupMembership(r: Resource, ctx: ReadContext): void {
  const group = ctx.principal(r, 'group', r.body.group, 'group');
  for (const [field, value] of listArgument(r, 'users', ctx, true)) {
    const user = ctx.principal(r, field, value, 'user');
    if (user !== undefined && group !== undefined) ctx.memberships.push({ resource: r, user, group });
  }
}

export function readInstanceProfile(r: Resource, ctx: ReadContext): void {
  const name = ctx.literal(r, 'name', true);
  const role = r.body.role === undefined ? undefined : ctx.principal(r, 'role', r.body.role, 'role');
  if (name !== undefined) ctx.instanceProfiles.push({ resource: r, name, ...(role !== undefined && { role }) });
}

/**
 * An OIDC identity provider grants nothing itself, but its client IDs ("also known as audiences", IAM API
 * reference, CreateOpenIDConnectProvider, ClientIDList) and the servers it trusts bear on which web
 * identity tokens are accepted for the roles that trust it. Not modelled in grants: compared by content.
 */
export function readOidcProvider(r: Resource, ctx: ReadContext): void {
  // Named by its URL when written out (one provider per URL in an account): a new construct id is no change.
  const url = typeof r.body.url === 'string' ? literalText(r.body.url) : undefined;
  ctx.unreviewedResource(r, `OIDC provider ${url ?? r.address}: the audiences it accepts (client_id_list) and the servers it trusts decide who may assume the roles that trust it`, {
    ...(url !== undefined && { name: `OIDC provider ${url}` }),
    value: { url: r.body.url, client_id_list: r.body.client_id_list, thumbprint_list: r.body.thumbprint_list },
  });
}

export function readBucketPolicy(r: Resource, ctx: ReadContext): void {
  const bucket = bucketName(r, ctx);
  const policy = ctx.policy(r, 'policy');
  if (bucket !== undefined && policy !== undefined) ctx.bucketPolicies.push({ resource: r, bucket, policy });
}

/** A bucket policy names its bucket literally or by a reference to a bucket of the stack with a literal name. */
function bucketName(r: Resource, ctx: ReadContext): string | undefined {
  const ref = referenceOf(r.body.bucket);
  if (ref !== undefined) {
    const bucket = ref.type === 'aws_s3_bucket' && (ref.attribute === 'id' || ref.attribute === 'bucket') ? ctx.bodies.get(`${ref.type}.${ref.name}`)?.bucket : undefined;
    const name = typeof bucket === 'string' ? literalText(bucket) : undefined;
    if (name === undefined) ctx.report(`${r.address}.bucket`, r.body.bucket, 'names no bucket of this stack with a literal name', EXTEND_FIX);
    return name;
  }
  return ctx.literal(r, 'bucket', true);
}

/**
 * `aws_s3_bucket`: its name, for the bucket policies that name it by reference. The arguments that bear on
 * access (its inline `policy`, `acl` and `grant`, encryption keys, replication to another bucket, logging,
 * versioning's MFA delete, …) are not modelled: a bucket that sets one is an unreviewed resource, compared
 * by content (`RESOURCE_TYPES` lists the arguments that carry none).
 */
export function readBucket(_resource: Resource, _ctx: ReadContext): void {
  // Nothing more to collect: its name is read where a bucket policy refers to it (a name known only at
  // apply time is refused there), and its access-bearing arguments made it an unreviewed resource.
}

export function readOrganizationsPolicy(r: Resource, ctx: ReadContext): void {
  const type = r.body.type ?? 'SERVICE_CONTROL_POLICY';
  if (type !== 'SERVICE_CONTROL_POLICY') {
    // A resource control policy, a tag, backup or declarative policy: not modelled, compared by content.
    ctx.unreviewedResource(r, `an Organizations policy of type ${JSON.stringify(type)}: the review reads service control policies only`);
    return;
  }
  const name = ctx.literal(r, 'name', true);
  const policy = ctx.policy(r, 'content');
  if (name !== undefined && policy !== undefined) ctx.scps.set(r.address, { resource: r, name, policy });
}

export function readOrganizationsPolicyAttachment(r: Resource, ctx: ReadContext): void {
  const ref = referenceOf(r.body.policy_id);
  const target = typeof r.body.target_id === 'string' ? literalText(r.body.target_id) : undefined;
  const organizationsPolicy = ref !== undefined && ref.type === 'aws_organizations_policy' && ref.attribute === 'id' ? `${ref.type}.${ref.name}` : undefined;
  if (organizationsPolicy === undefined || target === undefined) {
    // An attachment of a policy this stack does not create, or to a target known at apply time only:
    // detaching it may lift a restriction, so it is compared by content.
    ctx.unreviewedResource(r, 'attaches an Organizations policy the review cannot follow (not one of this stack by reference, or to a target known at apply time only)');
    return;
  }
  ctx.scpAttachments.push({ resource: r, policyAddress: organizationsPolicy, target });
}

/** The entries of a list argument, each with its field (`groups[0]`); a finding when it is no list. */
function listArgument(r: Resource, argument: string, ctx: ReadContext, required = false): [string, unknown][] {
  const value = r.body[argument];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    ctx.report(`${r.address}.${argument}`, isObject(value) ? 'an object' : value, 'is not a list of names', EXTEND_FIX);
    return [];
  }
  return value.map((v, i) => [`${argument}[${i}]`, v]);
}
