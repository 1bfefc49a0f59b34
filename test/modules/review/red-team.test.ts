/**
 * Issue 15, item 8: the red team. Crafted changes an attacker, or a careless author, could put in a pull
 * request, each with the verdict the diff must give: `widens` (exit 1), `same` (exit 0: a rewrite that allows
 * exactly what it did) or `narrows` (exit 0), or `refused` (the review cannot read it and says so: the CLI's
 * exit 2, never 0). The cases span every class of issue 15: grants, what the reader skips, principals outside
 * the stack, overwrites, attributes, scale and odd JSON; and the escalation paths a change opens. The
 * suite asserts 0 missed widenings and 0 false alarms, and prints its tally.
 */
import type { PolicyStatement } from '../../../modules/core';
import { recordFigure } from '../../support/figures';
import { ACCOUNT_TRUST, app, diffOf, doc, exitCodeOf, type Resources, roleResources, stackJson } from './crafted-stacks';

type Verdict = 'widens' | 'same' | 'narrows' | 'refused';
interface Case {
  readonly name: string;
  readonly kind: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly verdict: Verdict;
}

const OBJECTS = 'arn:aws:s3:::data/*';
const allow = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, ...extra });
/** `base` with `extra`'s resources added, type by type. */
const merged = (base: Resources, extra: Resources): Resources => {
  const out: Resources = { ...base };
  for (const [type, blocks] of Object.entries(extra)) out[type] = { ...(out[type] ?? {}), ...blocks };
  return out;
};
const role = (statements: PolicyStatement[], extra: Resources = {}, trust = ACCOUNT_TRUST) => stackJson(merged(roleResources({ name: 'app', inline: [doc(...statements)], trust }), extra));
const BASE = role([allow()]);
/** The base stack with more resources. */
const plus = (extra: Resources) => role([allow()], extra);
const ROLE_REF = '${aws_iam_role.role_app.name}';

const cases: Case[] = [];
const add = (kind: string, verdict: Verdict, name: string, before: unknown, after: unknown) => cases.push({ kind, verdict, name, before, after });

// --- grants: what the comparison already modelled ---------------------------------------------------------
add('grants', 'widens', 'a new action', BASE, role([allow({ Action: ['s3:GetObject', 's3:PutObject'] })]));
add('grants', 'widens', 'a wider resource', BASE, role([allow({ Resource: 'arn:aws:s3:::data*' })]));
add('grants', 'widens', 'a service wildcard', BASE, role([allow({ Action: 's3:*' })]));
add('grants', 'widens', 'Action "*" on every resource', BASE, role([allow({ Action: '*', Resource: '*' })]));
add('grants', 'widens', 'a condition removed', role([allow({ Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } })]), BASE);
add(
  'grants',
  'widens',
  'a condition relaxed to a wildcard',
  role([allow({ Condition: { StringEquals: { 's3:prefix': 'home/' } } })]),
  role([allow({ Condition: { StringLike: { 's3:prefix': 'home*' } } })]),
);
add('grants', 'widens', 'NotAction with Allow', BASE, role([allow(), { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]));
add('grants', 'widens', 'NotResource with Allow', BASE, role([allow(), { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]));
add('grants', 'widens', 'a Deny removed', role([allow({ Action: 's3:*' }), { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]), role([allow({ Action: 's3:*' })]));
add(
  'grants',
  'widens',
  'a Deny narrowed to fewer resources',
  role([allow({ Action: 's3:*' }), { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]),
  role([allow({ Action: 's3:*' }), { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/keep/*' }]),
);
add(
  'grants',
  'widens',
  'a new trust principal',
  BASE,
  role([allow()], {}, doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] } })),
);
add('grants', 'widens', 'a public trust principal', BASE, role([allow()], {}, doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' } })));
add(
  'grants',
  'widens',
  "an OIDC trust's sub condition dropped",
  role(
    [allow()],
    {},
    doc({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:o/r:ref:refs/heads/main' } },
    }),
  ),
  role(
    [allow()],
    {},
    doc({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
    }),
  ),
);
add(
  'grants',
  'widens',
  'an AWS managed AdministratorAccess attached',
  BASE,
  stackJson(roleResources({ name: 'app', inline: [doc(allow())], awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess'] })),
);
add('grants', 'widens', 'a boundary removed', stackJson(roleResources({ name: 'app', inline: [doc(allow())], boundary: doc(allow()) })), BASE);
add(
  'grants',
  'widens',
  'credentials of other users',
  BASE,
  role([allow(), { Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], Resource: 'arn:aws:iam::111111111111:user/*' }]),
);
add('grants', 'widens', 'iam:AddUserToGroup', BASE, role([allow(), { Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: 'arn:aws:iam::111111111111:group/admins' }]));
add(
  'grants',
  'widens',
  'an escalation path: PassRole and lambda:CreateFunction and InvokeFunction',
  BASE,
  role([allow(), { Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }]),
);
add(
  'grants',
  'widens',
  'an escalation path: a new policy version on any policy',
  BASE,
  role([allow(), { Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: 'arn:aws:iam::111111111111:policy/*' }]),
);

// --- neutral and narrowing rewrites -----------------------------------------------------------------------
add('neutral', 'same', 'statements reordered', role([allow(), allow({ Action: 's3:PutObject' })]), role([allow({ Action: 's3:PutObject' }), allow()]));
add('neutral', 'same', 'one statement split in two', role([allow({ Action: ['s3:GetObject', 's3:PutObject'] })]), role([allow(), allow({ Action: 's3:PutObject' })]));
add('neutral', 'same', 'two statements merged', role([allow(), allow({ Action: 's3:PutObject' })]), role([allow({ Action: ['s3:PutObject', 's3:GetObject'] })]));
add('neutral', 'same', 'a Sid added', BASE, role([allow({ Sid: 'Read' })]));
add('neutral', 'same', 'actions in another case', BASE, role([allow({ Action: 'S3:getobject' })]));
add(
  'neutral',
  'same',
  'a wildcard written out as its actions',
  role([allow({ Action: 's3:GetObjectVersionT*' })]),
  role([allow({ Action: ['s3:GetObjectVersionTagging', 's3:GetObjectVersionTorrent'] })]),
);
add('neutral', 'same', 'a list of one written as a string', role([allow({ Action: ['s3:GetObject'], Resource: [OBJECTS] })]), BASE);
add('neutral', 'same', 'resources written twice', BASE, role([allow({ Resource: [OBJECTS, OBJECTS] })]));
add('neutral', 'same', 'the inline policy moved to a managed policy of the stack', BASE, stackJson(roleResources({ name: 'app', managed: [doc(allow())] })));
add('neutral', 'same', 'JSON keys in another order', BASE, role([{ Resource: OBJECTS, Action: 's3:GetObject', Effect: 'Allow' }]));
add('neutral', 'narrows', 'an action removed', role([allow({ Action: ['s3:GetObject', 's3:PutObject'] })]), BASE);
add('neutral', 'narrows', 'a narrower resource', BASE, role([allow({ Resource: 'arn:aws:s3:::data/public/*' })]));
add('neutral', 'narrows', 'a Deny added', BASE, role([allow(), { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/secret/*' }]));
add('neutral', 'narrows', 'a condition added', BASE, role([allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })]));
add('neutral', 'narrows', 'the role deleted with its policies', BASE, stackJson({}));
add(
  'neutral',
  'narrows',
  'a trust principal removed',
  role([allow()], {}, doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] } })),
  BASE,
);

// --- what the reader skipped: every resource type is read, known to carry no access, or unreviewed --------
add('unread', 'widens', 'a Lambda permission for anyone', BASE, plus({ aws_lambda_permission: { p: { function_name: 'f', action: 'lambda:InvokeFunction', principal: '*' } } }));
add('unread', 'widens', 'a KMS grant', BASE, plus({ aws_kms_grant: { g: { key_id: 'k', grantee_principal: 'arn:aws:iam::222222222222:root', operations: ['Decrypt'] } } }));
add('unread', 'widens', 'a public-read bucket ACL', BASE, plus({ aws_s3_bucket_acl: { a: { bucket: 'data', acl: 'public-read' } } }));
add('unread', 'widens', 'a Lambda function URL with no authorization', BASE, plus({ aws_lambda_function_url: { u: { function_name: 'f', authorization_type: 'NONE' } } }));
add(
  'unread',
  'widens',
  'an SSO permission set with an inline policy',
  BASE,
  plus({
    aws_ssoadmin_permission_set_inline_policy: {
      p: { instance_arn: 'arn:aws:sso:::instance/i', permission_set_arn: 'arn:aws:sso:::permissionSet/i/p', inline_policy: JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) },
    },
  }),
);
add(
  'unread',
  'widens',
  'a public access block relaxed',
  plus({ aws_s3_bucket_public_access_block: { b: { bucket: 'data', block_public_policy: true, restrict_public_buckets: true } } }),
  plus({ aws_s3_bucket_public_access_block: { b: { bucket: 'data', block_public_policy: false, restrict_public_buckets: false } } }),
);
add(
  'unread',
  'widens',
  'an SQS queue policy',
  BASE,
  plus({ aws_sqs_queue_policy: { q: { queue_url: 'https://sqs/q', policy: JSON.stringify(doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Principal: '*' })) } } }),
);
add(
  'unread',
  'widens',
  'an inline policy written with jsonencode',
  BASE,
  plus({ aws_iam_role_policy: { extra: { name: 'extra', role: ROLE_REF, policy: '${jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = "*"}], Version = "2012-10-17"})}' } } }),
);
add('unread', 'widens', 'an inline policy from a data source', BASE, plus({ aws_iam_role_policy: { extra: { name: 'extra', role: ROLE_REF, policy: '${data.aws_iam_policy_document.all.json}' } } }));
add('unread', 'widens', "a call of this project's own iam-role module", BASE, {
  ...(BASE as object),
  module: { admin: { source: './iam-role', name: 'admin', trust: { accounts: ['222222222222'] }, managed_policy_arns: { admin: 'arn:aws:iam::aws:policy/AdministratorAccess' } } },
});
add(
  'unread',
  'widens',
  'a provisioner that runs the AWS CLI',
  BASE,
  plus({ terraform_data: { run: { provisioner: [{ 'local-exec': { command: 'aws iam attach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess' } }] } } }),
);
add('unread', 'widens', 'resources written as a JSON array of blocks', BASE, {
  ...(BASE as object),
  resource: [
    (BASE as { resource: unknown }).resource,
    { aws_iam_role_policy: { extra: { name: 'extra', role: ROLE_REF, policy: JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) } } },
  ],
});

// --- principals outside the stack ----------------------------------------------------------------------------
const membership = (group: string) => ({ aws_iam_user: { u: { name: 'alice' } }, aws_iam_user_group_membership: { m: { user: '${aws_iam_user.u.name}', groups: [group] } } });
add('outside', 'widens', 'a user added to a group the stack does not create', stackJson({ aws_iam_user: { u: { name: 'alice' } } }), stackJson(membership('admins')));
add(
  'outside',
  'widens',
  'a policy attached to a role the stack does not create',
  BASE,
  plus({ aws_iam_role_policy_attachment: { other: { role: 'OrganizationAccountAccessRole', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } } }),
);
add(
  'outside',
  'widens',
  'a Deny on a role created elsewhere removed with its resource',
  plus({ aws_iam_role_policy: { deny: { name: 'deny', role: 'shared-admin', policy: JSON.stringify(doc({ Effect: 'Deny', Action: '*', Resource: '*' })) } } }),
  BASE,
);
add(
  'outside',
  'widens',
  'a user joins a group of another stack of the same app',
  app({
    users: stackJson({ aws_iam_user: { u: { name: 'alice' } } }),
    groups: stackJson({
      aws_iam_group: { g: { name: 'admins' } },
      aws_iam_group_policy: { p: { name: 'all', group: '${aws_iam_group.g.name}', policy: JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) } },
    }),
  }),
  app({
    users: stackJson(membership('admins')),
    groups: stackJson({
      aws_iam_group: { g: { name: 'admins' } },
      aws_iam_group_policy: { p: { name: 'all', group: '${aws_iam_group.g.name}', policy: JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) } },
    }),
  }),
);

// --- overwrites: resources that replace each other in AWS ---------------------------------------------------
add(
  'overwrite',
  'refused',
  'two inline policies of one name on one role',
  BASE,
  plus({ aws_iam_role_policy: { twin: { name: 'inline-0', role: ROLE_REF, policy: JSON.stringify(doc(allow({ Action: '*', Resource: '*' }))) } } }),
);
add(
  'overwrite',
  'refused',
  'two bucket policies on one bucket',
  stackJson({
    aws_s3_bucket_policy: { a: { bucket: 'data', policy: JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Principal: { AWS: 'arn:aws:iam::111111111111:root' } })) } },
  }),
  stackJson({
    aws_s3_bucket_policy: {
      a: { bucket: 'data', policy: JSON.stringify(doc({ Effect: 'Deny', Action: 's3:*', Resource: OBJECTS, Principal: '*' })) },
      b: { bucket: 'data', policy: JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Principal: { AWS: 'arn:aws:iam::111111111111:root' } })) },
    },
  }),
);

// --- attributes that decide access --------------------------------------------------------------------------
const withRoleAttributes = (attributes: Record<string, unknown>) => {
  const resources = roleResources({ name: 'app', inline: [doc(allow())] });
  resources.aws_iam_role.role_app = { ...resources.aws_iam_role.role_app, ...attributes };
  return stackJson(resources);
};
add('attributes', 'widens', "a role's path moved", withRoleAttributes({ path: '/app/' }), withRoleAttributes({ path: '/admin/' }));
add('attributes', 'widens', "a role's tag changed (read by aws:PrincipalTag)", withRoleAttributes({ tags: { team: 'web' } }), withRoleAttributes({ tags: { team: 'admin' } }));
add(
  'attributes',
  'widens',
  'the policy Version changed so that ${aws:username} becomes a variable',
  stackJson({
    ...roleResources({ name: 'app' }),
    aws_iam_role_policy: {
      v: { name: 'v', role: ROLE_REF, policy: JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/$${aws:username}/*' }] }) },
    },
  }),
  stackJson({
    ...roleResources({ name: 'app' }),
    aws_iam_role_policy: {
      v: { name: 'v', role: ROLE_REF, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/$${aws:username}/*' }] }) },
    },
  }),
);
add(
  'attributes',
  'widens',
  'an instance profile given another role',
  stackJson({ ...roleResources({ name: 'app', inline: [doc(allow())] }), aws_iam_instance_profile: { p: { name: 'web', role: 'app' } } }),
  stackJson({ ...roleResources({ name: 'app', inline: [doc(allow())] }), aws_iam_instance_profile: { p: { name: 'web', role: 'admin' } } }),
);

// --- scale and odd JSON: decided, never a crash ---------------------------------------------------------------
const SIX = Array.from({ length: 6 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
add('scale', 'widens', 'Action "*" on six resources (about 132,000 grants)', BASE, role([allow(), { Effect: 'Allow', Action: '*', Resource: SIX }]));
add('scale', 'refused', 'a null resource body', BASE, { ...(BASE as object), resource: { aws_iam_role_policy: { extra: null } } });
// Written as text: JSON.stringify itself overflows on such a value.
const DEEP = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":${'['.repeat(20_000)}"${OBJECTS}"${']'.repeat(20_000)}}]}`;
add('scale', 'refused', 'a value nested 20,000 deep in a policy', BASE, plus({ aws_iam_role_policy: { deep: { name: 'deep', role: ROLE_REF, policy: DEEP } } }));

/** The verdict the review gives: from the diff's exit code, and `refused` for a named error. */
function verdictOf(c: Case): { verdict: Verdict; detail: string } {
  let diff;
  try {
    diff = diffOf(c.before, c.after);
  } catch (e) {
    const error = e as Error;
    // A refusal is a named error the CLI reports with exit 2, never a crash of the JavaScript engine.
    if (error instanceof RangeError || error instanceof TypeError) return { verdict: 'widens', detail: `CRASH ${error.name}: ${error.message}` };
    return { verdict: 'refused', detail: error.message.split('\n')[0] };
  }
  if (exitCodeOf(diff) === 1) return { verdict: 'widens', detail: '' };
  const changed = diff.stacks.some((s) => s.subjects.length > 0);
  return { verdict: changed ? 'narrows' : 'same', detail: '' };
}

describe('the red team: crafted changes and the verdict the diff must give', () => {
  const results = cases.map((c) => ({ c, ...verdictOf(c) }));

  afterAll(() => {
    const widening = cases.filter((c) => c.verdict === 'widens').length;
    const neutral = cases.filter((c) => c.verdict === 'same' || c.verdict === 'narrows').length;
    recordFigure('red-team widening changes', widening);
    recordFigure('red-team neutral or narrowing changes', neutral);
    recordFigure('red-team changes the review must refuse', cases.length - widening - neutral);
    recordFigure('red-team widenings missed', results.filter((r) => r.c.verdict === 'widens' && r.verdict !== 'widens').length);
    recordFigure('red-team false alarms', results.filter((r) => r.c.verdict !== 'widens' && r.verdict === 'widens').length);
  });

  it('has at least 60 crafted changes, widening and neutral, across every class', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['grants', 'neutral', 'unread', 'outside', 'overwrite', 'attributes', 'scale']));
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(results.map((r) => [`${r.c.kind}: ${r.c.name}`, r] as const))('%s', (_, r) => {
    expect({ case: r.c.name, verdict: r.verdict, detail: r.detail.startsWith('CRASH') ? r.detail : '' }).toEqual({ case: r.c.name, verdict: r.c.verdict, detail: '' });
  });
});
