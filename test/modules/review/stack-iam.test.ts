import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { PolicyValidationError } from '../../../modules/core';
import { READ_RESOURCE_TYPES, type Subject } from '../../../modules/review';
import { validationErrorOf } from '../../support/errors';
import { ACCOUNT_TRUST, doc, read, roleResources, stackJson } from './crafted-stacks';

const ROOT = join(__dirname, '../../..');
const READ_S3 = doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' });
const subject = (subjects: readonly Subject[], id: string) => {
  const found = subjects.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no subject ${id} in ${subjects.map((s) => s.id).join(', ')}`);
  return found;
};

describe('readStack: a synthesized stack into its subjects', () => {
  it('a role with its trust policy, inline, managed and AWS managed policies, boundary and instance profile', () => {
    const resources = roleResources({ name: 'app', inline: [READ_S3], managed: [READ_S3], awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], boundary: READ_S3 });
    resources.aws_iam_instance_profile = { profile: { name: 'app-profile', role: '${aws_iam_role.role_app.name}' } };
    const { subjects } = read(stackJson(resources));
    expect(subjects.map((s) => s.id)).toEqual(['role aws app']);
    const role = subjects[0];
    expect(role.addresses).toEqual(['aws_iam_role.role_app']);
    expect(role.trustPolicy?.document).toEqual(ACCOUNT_TRUST);
    expect(role.policies.map((p) => [p.attachment, p.label])).toEqual([
      ['aws-managed', 'AWS managed arn:aws:iam::aws:policy/ReadOnlyAccess'],
      ['inline', 'inline inline-0'],
      ['managed', 'managed app-managed-0'],
    ]);
    // Its content is not in the stack: it is read from the library's copy of AWS's managed policies.
    expect(role.policies[0]).toMatchObject({ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', version: expect.stringMatching(/^v\d+$/) });
    expect(role.policies[0].document!.Statement.length).toBeGreaterThan(0);
    expect(role.boundary).toMatchObject({ attachment: 'managed', label: 'managed app-boundary', document: READ_S3 });
    expect(role.instanceProfiles).toEqual(['app-profile']);
    // A boundary-only policy is no subject of its own: it is attached, as the boundary.
    expect(subjects.some((s) => s.kind === 'managed-policy')).toBe(false);
  });

  it('users inherit the policies of their groups; a group lists its members', () => {
    const { subjects } = read(
      stackJson({
        aws_iam_group: { g: { name: 'deployers' } },
        aws_iam_group_policy: { gp: { name: 'deploy', group: '${aws_iam_group.g.name}', policy: JSON.stringify(READ_S3) } },
        aws_iam_user: { u: { name: 'alice' } },
        aws_iam_user_group_membership: { m: { user: '${aws_iam_user.u.name}', groups: ['${aws_iam_group.g.name}'] } },
      }),
    );
    const alice = subject(subjects, 'user aws alice');
    expect(alice.groups).toEqual(['deployers']);
    expect(alice.policies.map((p) => p.label)).toEqual(['inline deploy (via group deployers)']);
    expect(subject(subjects, 'group aws deployers').members).toEqual(['alice']);
  });

  it('a policy attached by name to a role the stack does not create makes that role a subject', () => {
    const { subjects } = read(
      stackJson({
        aws_iam_policy: { p: { name: 'ci', policy: JSON.stringify(READ_S3) } },
        aws_iam_role_policy_attachment: { a: { role: 'existing-role', policy_arn: '${aws_iam_policy.p.arn}' } },
      }),
    );
    const role = subject(subjects, 'role aws existing-role');
    expect(role.addresses).toEqual([]);
    expect(role.policies.map((p) => p.label)).toEqual(['managed ci']);
  });

  it('a managed policy attached to nothing in the stack is a subject of its own', () => {
    const { subjects } = read(stackJson({ aws_iam_policy: { p: { name: 'for-humans', policy: JSON.stringify(READ_S3) } } }));
    expect(subjects.map((s) => [s.id, s.policies.map((p) => p.label)])).toEqual([['managed-policy aws for-humans', ['managed for-humans']]]);
  });

  it("providers give each resource its account; a customer policy's ARN finds the stack's policy in that account", () => {
    const json = stackJson(
      {
        aws_iam_role: { r: { name: 'app', assume_role_policy: JSON.stringify(ACCOUNT_TRUST), provider: 'aws.app', permissions_boundary: 'arn:aws:iam::111111111111:policy/boundaries/limit' } },
        aws_iam_policy: { b: { name: 'limit', path: '/boundaries/', policy: JSON.stringify(READ_S3), provider: 'aws.app' } },
      },
      [{ region: 'eu-west-1' }, { alias: 'app', allowed_account_ids: ['111111111111'], region: 'eu-west-1' }],
    );
    const role = subject(read(json).subjects, 'role aws.app app');
    expect(role.account).toBe('111111111111');
    expect(role.boundary).toMatchObject({ attachment: 'managed', address: 'aws_iam_policy.b', document: READ_S3 });
  });

  it('a customer policy named by ARN that the stack does not create is kept by ARN, not expanded', () => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy_attachment = { a: { role: '${aws_iam_role.role_app.name}', policy_arn: 'arn:aws:iam::222222222222:policy/elsewhere' } };
    const role = read(stackJson(resources)).subjects[0];
    expect(role.policies).toEqual([{ attachment: 'by-arn', label: 'managed by ARN arn:aws:iam::222222222222:policy/elsewhere', arn: 'arn:aws:iam::222222222222:policy/elsewhere' }]);
  });

  it('bucket policies and SCPs with their targets', () => {
    const { subjects } = read(
      stackJson({
        aws_s3_bucket_policy: { bp: { bucket: 'data', policy: JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: '111111111111' }, Resource: 'arn:aws:s3:::data/*' })) } },
        aws_organizations_policy: { scp: { name: 'guard', type: 'SERVICE_CONTROL_POLICY', content: JSON.stringify(doc({ Action: '*', Effect: 'Deny', Resource: '*' })) } },
        aws_organizations_policy_attachment: { t: { policy_id: '${aws_organizations_policy.scp.id}', target_id: 'r-ab12' } },
      }),
    );
    expect(subject(subjects, 'bucket-policy aws data').policies).toHaveLength(1);
    expect(subject(subjects, 'service-control-policy aws guard').targets).toEqual(['r-ab12']);
  });

  it("reads Terraform's escapes: $${ in a policy is a policy variable, not an interpolation", () => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy = {
      p: {
        name: 'own',
        role: '${aws_iam_role.role_app.name}',
        policy: '{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::b/$${aws:username}/*"}]}',
      },
    };
    const statement = read(stackJson(resources)).subjects[0].policies[0].document!.Statement[0];
    expect(statement.Resource).toBe('arn:aws:s3:::b/${aws:username}/*');
  });

  it('measures each policy against the limit of where it is, and sums inline policies', () => {
    const big = doc(...Array.from({ length: 200 }, (_, i) => ({ Action: 's3:GetObject', Effect: 'Allow' as const, Resource: `arn:aws:s3:::bucket-${i}/*` })));
    const role = read(stackJson(roleResources({ name: 'app', inline: [big, READ_S3] }))).subjects[0];
    const inline = role.sizes.find((s) => s.what === 'inline policies of role app, summed')!;
    expect(inline.size).toBe(JSON.stringify(big).length + JSON.stringify(READ_S3).length);
    expect(inline.limit).toBe(10_240);
    expect(inline.size).toBeGreaterThan(inline.limit);
  });

  it('reads every IAM-bearing resource type the constructs and stacks create', () => {
    // Every provider class a module or a stack imports, as its Terraform type (lib/iam-role-policy is aws_iam_role_policy).
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'modules', 'stacks'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    const types = new Set<string>();
    for (const file of files) {
      if (!existsSync(join(ROOT, file))) continue;
      for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)'/g)) types.add(`aws_${m[1].replace(/-/g, '_')}`);
    }
    types.delete('aws_provider');
    expect(types.size).toBeGreaterThan(10);
    for (const type of types) {
      const iamBearing = /^aws_(iam|organizations)_/.test(type) || type.includes('policy');
      if (iamBearing) expect(READ_RESOURCE_TYPES).toContain(type);
    }
    // The others (aws_launch_template, which names the instance profile instances get) are unreviewed subjects, compared by content.
    expect([...types].filter((t) => !(READ_RESOURCE_TYPES as readonly string[]).includes(t))).toEqual(['aws_launch_template']);
  });
});

describe('readStack fails loudly on what it cannot read, naming the stack, the resource, the value and the fix', () => {
  const failure = (resources: Record<string, Record<string, Record<string, unknown>>>) => validationErrorOf(() => read(stackJson(resources)));
  const expectFinding = (error: PolicyValidationError, field: string, problem: RegExp) => {
    expect(error.message).toMatch(/^test: stack crafted: /);
    const finding = error.findings.find((f) => f.field === field);
    expect(finding).toBeDefined();
    expect(finding!.problem).toMatch(problem);
    expect(finding!.fix).not.toBe('');
  };

  it('text that is not JSON, or not a policy', () => {
    expectFinding(failure({ aws_iam_policy: { p: { name: 'p', policy: '{not json' } } }), 'aws_iam_policy.p.policy', /is not JSON/);
    expectFinding(
      failure({ aws_iam_policy: { p: { name: 'p', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 's3:GetObject', Resource: '*' }] }) } } }),
      'aws_iam_policy.p.policy',
      /Effect/,
    );
  });

  it('an argument it does not read, and count or for_each', () => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role.role_app.inline_policy = [{ name: 'x', policy: JSON.stringify(READ_S3) }];
    expectFinding(failure(resources), 'aws_iam_role.role_app.inline_policy', /does not read aws_iam_role's argument inline_policy/);
    expectFinding(failure({ aws_iam_user: { u: { name: 'u', count: 2 } } }), 'aws_iam_user.u.count', /known only at plan time/);
  });

  it('a reference it cannot follow', () => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy = { p: { name: 'x', role: '${aws_iam_role.role_app.arn}', policy: JSON.stringify(READ_S3) } };
    resources.aws_iam_role_policy_attachment = { a: { role: '${aws_iam_role.role_app.name}', policy_arn: '${aws_iam_policy.missing.arn}' } };
    const error = failure(resources);
    expectFinding(error, 'aws_iam_role_policy.p.role', /cannot follow/);
    expectFinding(error, 'aws_iam_role_policy_attachment.a.policy_arn', /cannot follow/);
  });
});

// What the reader does not model is no longer refused (which stopped every diff of the stack) but read as
// content it cannot see into, compared by digest (test/modules/review/stack-iam-fail-closed.test.ts).
describe('readStack: what it does not model, it keeps as content of unknown access', () => {
  it('a policy built from a reference: a policy of unknown content, with the part the diff compares', () => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy = { p: { name: 'x', role: '${aws_iam_role.role_app.name}', policy: '${data.aws_iam_policy_document.x.json}' } };
    const role = read(stackJson(resources)).subjects[0];
    expect(role.policies).toEqual([{ attachment: 'unknown', label: 'inline x (built from data.aws_iam_policy_document.x: not read)', address: 'aws_iam_role_policy.p' }]);
    expect(role.unmodelled).toEqual([expect.objectContaining({ key: 'inline x', why: expect.stringMatching(/^built from data\.aws_iam_policy_document\.x, which the review does not evaluate/) })]);
  });

  it('a trust policy with an interpolation inside it', () => {
    const json = stackJson({
      aws_iam_role: { r: { name: 'r', assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":"${var.account}"}}]}' } },
    });
    const role = read(json).subjects[0];
    expect(role.trustPolicy).toMatchObject({ attachment: 'unknown', address: 'aws_iam_role.r' });
    // A variable's value is given at plan time: outside the stack's JSON.
    expect(role.unmodelled).toEqual([expect.objectContaining({ key: 'trust policy of r', outside: ['the value of variable account, given at plan time'] })]);
  });

  it('a resource type it does not read, an IAM one too, or one holding a policy: an unreviewed subject', () => {
    const { subjects } = read(
      stackJson({
        aws_iam_access_key: { k: { user: 'deployer' } },
        aws_sqs_queue_policy: { q: { queue_url: 'https://sqs', policy: JSON.stringify(READ_S3) } },
        aws_kms_key: { k: { description: 'k', key_document: JSON.stringify(READ_S3) } },
      }),
    );
    expect(subjects.map((s) => [s.kind, s.name, s.addresses])).toEqual([
      ['unreviewed', 'aws_iam_access_key.k', ['aws_iam_access_key.k']],
      ['unreviewed', 'aws_kms_key.k', ['aws_kms_key.k']],
      ['unreviewed', 'aws_sqs_queue_policy.q', ['aws_sqs_queue_policy.q']],
    ]);
    expect(subjects[0].policies).toEqual([
      { attachment: 'unknown', label: expect.stringMatching(/^not read: a resource type the review does not read \(aws_iam_access_key\)/), address: 'aws_iam_access_key.k' },
    ]);
  });

  it('an Organizations policy that is not an SCP', () => {
    const { subjects } = read(stackJson({ aws_organizations_policy: { p: { name: 'p', type: 'RESOURCE_CONTROL_POLICY', content: JSON.stringify(READ_S3) } } }));
    expect(subjects.map((s) => [s.kind, s.name])).toEqual([['unreviewed', 'aws_organizations_policy.p']]);
    expect(subjects[0].unmodelled![0].why).toMatch(/type "RESOURCE_CONTROL_POLICY": the review reads service control policies only/);
  });

  it('a resource of a type it does not classify, with no policy in it (a launch template): unreviewed all the same', () => {
    const resources = roleResources({ name: 'app' });
    resources.aws_launch_template = { lt: { name: 'web', iam_instance_profile: { name: '${aws_iam_instance_profile.p.name}' } } };
    expect(read(stackJson(resources)).subjects.map((s) => s.id)).toEqual(['role aws app', 'unreviewed aws aws_launch_template.lt']);
  });
});
