// Issue 15, class 1: the reader fails closed. Every resource type is read, known to carry no access, or an
// unreviewed subject whose every change widens; the same for module calls, provisioners, data sources that
// feed a policy, and Terraform JSON that JSON.parse alone would misread.
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { PolicyValidationError } from '../../../modules/core';
import { NO_ACCESS_RESOURCE_TYPES, permissionDiff, READ_RESOURCE_TYPES, readStack, readSynthesizedStacks } from '../../../modules/review';
import { RESOURCE_TYPES } from '../../../modules/review/private/readers/resource-table';
import { validationErrorOf } from '../../support/errors';
import { providerAwsClass } from '../../support/provider-schema';
import { ACCOUNT_TRUST, diffLines, diffOf, doc, exitCodeOf, read, type Resources, roleResources, stackJson } from './crafted-stacks';

const READ_S3 = doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' });
const PROVIDER_AWS = dirname(require.resolve('@cdktf/provider-aws/package.json'));

/** Every argument name (camelCase) that provider-aws declares for a type, nested blocks' included. */
function schemaArguments(type: string): string[] {
  const { path } = providerAwsClass('resource', type);
  const declarations = readFileSync(join(PROVIDER_AWS, path.replace('@cdktf/provider-aws/', ''), 'index.d.ts'), 'utf8');
  return [...new Set([...declarations.matchAll(/^ {4}readonly (\w+)\??:/gm)].map((m) => m[1]))];
}

/** A stack of one role and `extra` resources. */
const withRole = (extra: Resources = {}) => stackJson({ ...roleResources({ name: 'app', inline: [READ_S3] }), ...extra });

/** The verdict on a change from `before` to `after`: every line, and the exit code. */
const verdict = (before: unknown, after: unknown) => {
  const d = diffOf(before, after);
  return { widens: d.widens, exit: exitCodeOf(d), lines: diffLines(d) };
};

describe('one table of resource types: read, known to carry no access, or unreviewed', () => {
  const entries = Object.entries(RESOURCE_TYPES);

  it('the read list is the table: READ_RESOURCE_TYPES and NO_ACCESS_RESOURCE_TYPES are its two halves', () => {
    expect([...READ_RESOURCE_TYPES, ...NO_ACCESS_RESOURCE_TYPES].sort()).toEqual(entries.map(([t]) => t).sort());
    expect(READ_RESOURCE_TYPES.length).toBe(19);
    expect(NO_ACCESS_RESOURCE_TYPES.length).toBe(13);
    // Each read type has its reader, by construction of the entry.
    for (const [type, entry] of entries) if (entry.classification === 'read') expect([type, typeof entry.read]).toEqual([type, 'function']);
  });

  it('every type is a resource type of the AWS provider (provider-aws has its class)', () => {
    for (const [type] of entries) {
      const { path, className } = providerAwsClass('resource', type);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect([type, typeof (require(path) as Record<string, unknown>)[className]]).toEqual([type, 'function']);
    }
  });

  it('no type known to carry no access has an argument named like a policy, grant, principal, permission, ACL, role, key or secret', () => {
    const accessLike = /polic|grant|principal|permission|acl|access|role|trust|share|public|authori[sz]|kms|encrypt|credential|password|secret/i;
    for (const type of NO_ACCESS_RESOURCE_TYPES) {
      const args = schemaArguments(type);
      expect(args.length).toBeGreaterThan(0);
      expect([type, args.filter((a) => accessLike.test(a))]).toEqual([type, []]);
      expect((RESOURCE_TYPES[type] as { why: string }).why.length).toBeGreaterThan(20);
    }
  });

  it("every argument a reader reads is one of its type's arguments (no typo lets an argument through)", () => {
    for (const [type, entry] of entries) {
      if (entry.classification !== 'read') continue;
      const args = schemaArguments(type);
      for (const argument of entry.arguments) expect([type, argument, args.includes(argument.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))]).toEqual([type, argument, true]);
    }
  });
});

describe('resources that grant access the review does not model: unreviewed, every change widens', () => {
  // Each passed silently before (issue 15): it grants access without any IAM resource.
  const granting: [string, Resources][] = [
    ['aws_lambda_permission to anyone', { aws_lambda_permission: { any: { action: 'lambda:InvokeFunction', function_name: 'app', principal: '*' } } }],
    ['aws_kms_grant', { aws_kms_grant: { g: { key_id: 'arn:aws:kms:eu-west-1:111111111111:key/k', grantee_principal: 'arn:aws:iam::222222222222:root', operations: ['Decrypt'] } } }],
    ['aws_s3_bucket_acl public-read', { aws_s3_bucket_acl: { a: { bucket: 'data', acl: 'public-read' } } }],
    ['aws_lambda_function_url without authorization', { aws_lambda_function_url: { u: { function_name: 'app', authorization_type: 'NONE' } } }],
    [
      'an SSO permission set with its policy and assignment',
      {
        aws_ssoadmin_permission_set: { ps: { name: 'admin', instance_arn: 'arn:aws:sso:::instance/ssoins-1' } },
        aws_ssoadmin_permission_set_inline_policy: {
          p: {
            instance_arn: 'arn:aws:sso:::instance/ssoins-1',
            permission_set_arn: '${aws_ssoadmin_permission_set.ps.arn}',
            inline_policy: JSON.stringify(doc({ Action: '*', Effect: 'Allow', Resource: '*' })),
          },
        },
        aws_ssoadmin_account_assignment: {
          a: {
            instance_arn: 'arn:aws:sso:::instance/ssoins-1',
            permission_set_arn: '${aws_ssoadmin_permission_set.ps.arn}',
            principal_id: 'g-1',
            principal_type: 'GROUP',
            target_id: '111111111111',
            target_type: 'AWS_ACCOUNT',
          },
        },
      },
    ],
    [
      'an OpenSearch domain whose resource policy is under access_policies',
      { aws_opensearch_domain: { d: { domain_name: 'logs', access_policies: JSON.stringify(doc({ Action: 'es:*', Effect: 'Allow', Principal: '*', Resource: '*' })) } } },
    ],
    [
      'a queue policy built with jsonencode',
      { aws_sqs_queue_policy: { q: { queue_url: 'https://sqs', policy: '${jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "sqs:*"}]})}' } } },
    ],
    ['an IAM access key (credentials for a user)', { aws_iam_access_key: { k: { user: 'deployer' } } }],
    ['a bucket with an inline ACL', { aws_s3_bucket: { b: { bucket: 'data', acl: 'public-read' } } }],
  ];

  it.each(granting)('%s: added widens (exit 1), unchanged shows nothing, removed widens', (_, resources) => {
    const added = verdict(withRole(), withRole(resources));
    expect(added.widens).toBe(true);
    expect(added.exit).toBe(1);
    expect(added.lines.every((l) => l.startsWith('WIDENS unreviewed ') && l.includes(': unreviewed access change: '))).toBe(true);
    expect(verdict(withRole(resources), withRole(resources)).lines).toEqual([]);
    expect(verdict(withRole(resources), withRole()).widens).toBe(true);
  });

  it('a public access block relaxed widens; the same settings in another key order show nothing', () => {
    const block = (policy: boolean) =>
      withRole({ aws_s3_bucket_public_access_block: { b: { bucket: 'data', block_public_acls: true, block_public_policy: policy, ignore_public_acls: true, restrict_public_buckets: true } } });
    const relaxed = verdict(block(true), block(false));
    expect(relaxed.lines).toEqual([
      'WIDENS unreviewed aws aws_s3_bucket_public_access_block.b: unreviewed access change: aws_s3_bucket_public_access_block.b changed (a resource type the review does not read (aws_s3_bucket_public_access_block): it may grant access (a resource policy, a grant, an ACL, a public URL, a permission set, …))',
    ]);
    expect(relaxed.exit).toBe(1);
    const reordered = withRole({
      aws_s3_bucket_public_access_block: { b: { restrict_public_buckets: true, ignore_public_acls: true, block_public_policy: true, block_public_acls: true, bucket: 'data' } },
    });
    expect(verdict(block(true), reordered).lines).toEqual([]);
  });

  it('a bucket without access-bearing arguments is read (its name), and a bucket policy may refer to it', () => {
    const stack = withRole({
      aws_s3_bucket: { b: { bucket: 'data', force_destroy: true } },
      aws_s3_bucket_policy: {
        p: { bucket: '${aws_s3_bucket.b.id}', policy: JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: '111111111111' }, Resource: 'arn:aws:s3:::data/*' })) },
      },
    });
    expect(read(stack).subjects.map((s) => s.id)).toEqual(['role aws app', 'bucket-policy aws data']);
  });

  it('a resource of a type the review knows carries no access: its changes show nothing; a policy written into one all the same is unreviewed', () => {
    const alarm = (threshold: number) => withRole({ aws_cloudwatch_metric_alarm: { a: { alarm_name: 'cpu', comparison_operator: 'GreaterThanThreshold', evaluation_periods: 1, threshold } } });
    expect(verdict(alarm(80), alarm(90)).lines).toEqual([]);
    const dashboard = withRole({ aws_cloudwatch_dashboard: { d: { dashboard_name: 'd', dashboard_body: JSON.stringify(READ_S3) } } });
    expect(read(dashboard).subjects.map((s) => s.id)).toContain('unreviewed aws aws_cloudwatch_dashboard.d');
  });
});

describe('a managed policy ARN is read as the constructs and the modules check it (core/iam-identifiers.ts)', () => {
  const attached = (arn: string) => () => read(stackJson(roleResources({ name: 'app', inline: [READ_S3], awsManaged: [arn] })));
  it('any AWS partition and a path: read', () => {
    expect(() => attached('arn:aws-cn:iam::aws:policy/ReadOnlyAccess')()).not.toThrow();
    expect(() => attached('arn:aws:iam::111111111111:policy/team/ci-web')()).not.toThrow();
  });
  // Before, the review took any partition of letters and hyphens and any path and name.
  it.each(['arn:foo:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/Read Only', `arn:aws:iam::111111111111:policy/${'p'.repeat(129)}`])('%s: not a managed policy ARN', (arn) => {
    expect(validationErrorOf(attached(arn)).findings.map((f) => f.problem)).toContain('is not a managed policy ARN');
  });
});

describe('an unreviewed subject sorts last, in the diff as in the report', () => {
  it('a changed role and a changed unreviewed resource: the role first, the unreviewed subject last', () => {
    // The diff's own kind order lacked `unreviewed` (indexOf -1), so it sorted before every role.
    const acl = (acl: string): Resources => ({ aws_s3_bucket_acl: { a: { bucket: 'data', acl } } });
    const before = stackJson({ ...roleResources({ name: 'app', inline: [READ_S3] }), ...acl('private') });
    const after = stackJson({ ...roleResources({ name: 'app', inline: [doc({ Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' })] }), ...acl('public-read') });
    const kinds = diffOf(before, after).stacks.flatMap((s) => s.subjects.map((x) => x.kind));
    expect(kinds).toEqual(['role', 'unreviewed']);
    const reported = read(after)
      .subjects.map((x) => x.kind)
      .filter((k) => k === 'role' || k === 'unreviewed');
    expect(reported).toEqual(['role', 'unreviewed']);
  });
});

describe('module calls, provisioners, other data sources, unknown block types: unreviewed', () => {
  const ownModule = (name: string, source = './terraform-modules/iam-role') => ({ ...withRole(), module: { ci_role: { source, name, trust_policy: JSON.stringify(ACCOUNT_TRUST) } } });

  it("a call to this project's own module: added widens, its arguments changed widen", () => {
    const asset = './assets/__cdktf_module_asset_26CE565C/4E1B9A6C0E8BA4F9D3E1F2A7B6C5D4E3/iam-role';
    expect(verdict(withRole(), ownModule('ci', asset)).lines).toEqual([
      expect.stringMatching(/^WIDENS unreviewed module module\.ci_role: unreviewed access change: module\.ci_role added \(a module call/),
    ]);
    expect(verdict(ownModule('ci', asset), ownModule('ci-admin', asset)).widens).toBe(true);
    // cdktf copies a local module into an asset folder named by its content's hash: unchanged, nothing shows.
    expect(verdict(ownModule('ci', asset), ownModule('ci', asset)).lines).toEqual([]);
  });

  it('a local module whose files are not in the stack (a path, not a content-addressed asset) widens on every diff', () => {
    const unchanged = verdict(ownModule('ci'), ownModule('ci'));
    expect(unchanged.lines).toEqual([
      "WIDENS unreviewed module module.ci_role: unreviewed access change: module.ci_role depends on the files of the local module ./terraform-modules/iam-role, which the stack's JSON does not hold: whether this change touches it cannot be told",
    ]);
    expect(unchanged.exit).toBe(1);
    // A registry module pinned to one release is fixed by its call; a range is not.
    const registry = (version: string) => ({ ...withRole(), module: { vpc: { source: 'terraform-aws-modules/iam/aws', version } } });
    expect(verdict(registry('5.39.0'), registry('5.39.0')).lines).toEqual([]);
    expect(verdict(registry('~> 5.0'), registry('~> 5.0')).widens).toBe(true);
  });

  it('a provisioner: terraform_data with local-exec, and a provisioner on a resource the review reads', () => {
    const exec = (command: string) => withRole({ terraform_data: { run: { provisioner: [{ 'local-exec': { command } }] } } });
    expect(verdict(withRole(), exec('aws iam attach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess')).widens).toBe(true);
    expect(verdict(exec('echo a'), exec('echo b')).widens).toBe(true);
    expect(verdict(exec('echo a'), exec('echo a')).lines).toEqual([]);
    const role = roleResources({ name: 'app' });
    role.aws_iam_role.role_app.provisioner = [{ 'local-exec': { command: 'aws iam put-role-policy …' } }];
    const withProvisioner = stackJson(role);
    expect(read(withProvisioner).subjects.map((s) => s.id)).toEqual(['role aws app', 'unreviewed aws aws_iam_role.role_app (provisioner)']);
    expect(verdict(stackJson(roleResources({ name: 'app' })), withProvisioner).lines).toEqual([
      expect.stringMatching(/^WIDENS unreviewed aws aws_iam_role\.role_app \(provisioner\): unreviewed access change: aws_iam_role\.role_app \(provisioner\) added \(a provisioner runs commands/),
    ]);
  });

  it('a data source of another provider (external runs a program at plan time), and a block type the review does not know', () => {
    const external = withRole();
    (external as Record<string, unknown>).data = { external: { x: { program: ['sh', '-c', 'echo {}'] } }, aws_caller_identity: { me: {} } };
    expect(read(external).subjects.map((s) => s.id)).toEqual(['role aws app', 'unreviewed external data.external.x']);
    const unknown = { ...withRole(), future_block: { x: { anything: true } } };
    expect(verdict(withRole(), unknown).lines).toEqual([expect.stringMatching(/^WIDENS unreviewed future_block future_block: unreviewed access change: future_block added/)]);
  });
});

describe('data sources and templates that feed a policy: compared by what they are built from', () => {
  const documentOf = (actions: string[]) => ({ aws_iam_policy_document: { x: { statement: [{ actions, resources: ['*'] }] } } });
  const fed = (actions: string[], reference = '${data.aws_iam_policy_document.x.json}') => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy = { p: { name: 'fed', role: '${aws_iam_role.role_app.name}', policy: reference } };
    return { ...stackJson(resources), data: documentOf(actions) };
  };

  it('the data source changed, the reference the same: widens (exit 1)', () => {
    const changed = verdict(fed(['s3:GetObject']), fed(['s3:GetObject', 'iam:PassRole']));
    expect(changed.lines).toEqual([
      'WIDENS role aws app: unreviewed access change: inline fed changed (built from data.aws_iam_policy_document.x, which the review does not evaluate: its content is known at plan time only)',
    ]);
    expect(changed.exit).toBe(1);
  });

  it('the data source and the policy unchanged, or its statements written in another key order: nothing', () => {
    expect(verdict(fed(['s3:GetObject']), fed(['s3:GetObject'])).lines).toEqual([]);
    const reordered = fed(['s3:GetObject']);
    reordered.data = { aws_iam_policy_document: { x: { statement: [{ resources: ['*'], actions: ['s3:GetObject'] }] } } };
    expect(verdict(fed(['s3:GetObject']), reordered).lines).toEqual([]);
  });

  it('a policy fed by a data source added to a role widens; jsonencode(…) changed widens', () => {
    expect(verdict(stackJson(roleResources({ name: 'app' })), fed(['s3:GetObject'])).widens).toBe(true);
    const encoded = (action: string) => fed([], `\${jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "${action}", Resource = "*"}]})}`);
    expect(verdict(encoded('s3:GetObject'), encoded('s3:*')).widens).toBe(true);
    expect(verdict(encoded('s3:GetObject'), encoded('s3:GetObject')).lines).toEqual([]);
  });

  it('a local the policy reads, changed: widens', () => {
    const withLocal = (action: string) => ({ ...fed([], '${jsonencode(local.document)}'), locals: { document: { Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } } });
    expect(verdict(withLocal('s3:GetObject'), withLocal('iam:*')).widens).toBe(true);
  });

  it('the report names the policy as not read (NOT_EXPANDED): its grants are not listed', () => {
    const role = read(fed(['s3:GetObject'])).subjects[0];
    expect(role.policies).toEqual([{ attachment: 'unknown', label: 'inline fed (built from data.aws_iam_policy_document.x: not read)', address: 'aws_iam_role_policy.p' }]);
  });
});

describe('unusual but valid Terraform JSON: read as Terraform reads it, or a named error, never a TypeError', () => {
  const role = roleResources({ name: 'app', inline: [READ_S3] });

  it('resource written as a JSON array of objects, and labels and bodies as arrays: the same subjects', () => {
    const arrays = {
      ...stackJson({}),
      resource: [{ aws_iam_role: role.aws_iam_role }, { aws_iam_role_policy: [{ role_app_inline_0: [role.aws_iam_role_policy.role_app_inline_0] }] }],
    };
    expect(read(arrays)).toEqual(read(stackJson(role)));
    expect(verdict(stackJson(role), arrays).lines).toEqual([]);
  });

  it('a provider block written as an object rather than an array: read, its account too', () => {
    const json = { ...stackJson(role), provider: { aws: { region: 'eu-west-1', allowed_account_ids: ['111111111111'] } } };
    expect(read(json).subjects[0].account).toBe('111111111111');
  });

  it('a null resource body, a resource type that is not an object: named errors', () => {
    const nullBody = validationErrorOf(() => read({ ...stackJson({}), resource: { aws_iam_role: { r: null } } }));
    expect(nullBody.findings).toEqual([expect.objectContaining({ field: 'resource.aws_iam_role.r', problem: expect.stringMatching(/^is null, not a block body/) })]);
    const notObject = validationErrorOf(() => read({ ...stackJson({}), resource: { aws_iam_role: 'x' } }));
    expect(notObject.findings[0]).toMatchObject({ field: 'resource.aws_iam_role', problem: expect.stringMatching(/^is a string, not a block label level/) });
    expect(validationErrorOf(() => read([])).findings[0]).toMatchObject({ field: 'cdk.tf.json', problem: 'is not a JSON object' });
    expect(validationErrorOf(() => readStack('crafted', null, 'test')).message).toMatch(/^test: stack crafted: /);
  });

  it('the same resource twice (through the array form): a named error, as Terraform refuses it', () => {
    const twice = { ...stackJson({}), resource: [{ aws_iam_role: role.aws_iam_role }, { aws_iam_role: role.aws_iam_role }] };
    expect(validationErrorOf(() => read(twice)).findings[0]).toMatchObject({ problem: expect.stringMatching(/^defines resource aws_iam_role\.role_app a second time/) });
  });

  it('a key twice in one object of the file (Terraform reads both, JSON.parse the last): a named error', () => {
    const text = JSON.stringify(stackJson(role)).replace(/^\{/, `{"resource":${JSON.stringify({ aws_iam_user: { u: { name: 'hidden-admin' } } })},`);
    const error = validationErrorOf(() => readSynthesizedStacksOf(text));
    expect(error.findings).toEqual([expect.objectContaining({ field: 'cdktf.out/stacks/crafted/cdk.tf.json', value: 'resource', problem: expect.stringMatching(/twice in one object/) })]);
  });

  it('values nested a hundred thousand levels deep: read (in a resource), or a named error (in a policy)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const inResource = withRole({ aws_lambda_function: { f: { function_name: 'f', environment: [{ variables: { DEEP: deep } }] } } });
    expect(read(inResource).subjects.map((s) => s.id)).toEqual(['role aws app', 'unreviewed aws aws_lambda_function.f']);
    const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
    const deepPolicy = stackJson({ aws_iam_policy: { p: { name: 'p', policy } } });
    expect(validationErrorOf(() => read(deepPolicy)).findings[0]).toMatchObject({ field: 'aws_iam_policy.p.policy', problem: expect.stringMatching(/nests values deeper than/) });
    // As the CLI reads it, from the file's text (JSON.stringify of such a value would itself overflow).
    const text = JSON.stringify(withRole({ aws_lambda_function: { f: { function_name: 'f', environment: [{ variables: { DEEP: 'deep' } }] } } })).replace(
      '"deep"',
      `${'['.repeat(100_000)}"x"${']'.repeat(100_000)}`,
    );
    const [stack] = readSynthesizedStacksOf(text);
    expect(permissionDiff([stack], [readSynthesizedStacksOf(text)[0]]).stacks).toEqual([]);
  });
});

/** As the CLI reads a stack's file: the text, not a parsed object. */
function readSynthesizedStacksOf(text: string) {
  return readSynthesizedStacks([{ stack: 'crafted', text, file: 'cdktf.out/stacks/crafted/cdk.tf.json' }], 'test');
}

describe('import and check blocks', () => {
  const imported = { ...withRole(), import: [{ to: 'aws_iam_role.role_app', id: 'app' }] };

  it('an import block adopts an existing role with whatever it already has: added widens; removed (after apply) does not', () => {
    expect(verdict(withRole(), imported).lines).toEqual([
      expect.stringMatching(/^WIDENS unreviewed aws import aws_iam_role\.role_app: unreviewed access change: import aws_iam_role\.role_app added \(adopts an existing object/),
    ]);
    expect(verdict(imported, withRole())).toMatchObject({ widens: false, exit: 0 });
  });

  it('a check block with a scoped data source: unreviewed; one without: nothing', () => {
    const check = (body: Record<string, unknown>) => ({ ...withRole(), check: { health: body } });
    expect(read(check({ data: { http: { site: { url: 'https://example.com' } } }, assert: [] })).subjects.map((s) => s.id)).toContain('unreviewed check check.health');
    expect(read(check({ assert: [{ condition: '${true}', error_message: 'x' }] })).subjects.map((s) => s.id)).toEqual(['role aws app']);
  });
});

describe('any JSON where a stack has a value: a read or a named error, never a raw exception (fast-check)', () => {
  // Paths into a stack where a crafted value goes, each a place Terraform JSON has a value or a block.
  const PLACES: string[][] = [
    ['provider'],
    ['provider', 'aws'],
    ['provider', 'aws', '0', 'allowed_account_ids'],
    ['provider', 'aws', '0', 'assume_role'],
    ['provider', 'aws', '0', 'default_tags'],
    ['resource'],
    ['resource', 'aws_iam_role'],
    ['resource', 'aws_iam_role', 'role_app'],
    ['resource', 'aws_iam_role', 'role_app', 'name'],
    ['resource', 'aws_iam_role', 'role_app', 'assume_role_policy'],
    ['resource', 'aws_iam_role', 'role_app', 'tags'],
    ['resource', 'aws_iam_role', 'role_app', 'path'],
    ['resource', 'aws_iam_role', 'role_app', 'provider'],
    ['resource', 'aws_iam_role', 'role_app', '//'],
    ['resource', 'aws_iam_role_policy', 'role_app_inline_0', 'role'],
    ['resource', 'aws_iam_role_policy', 'role_app_inline_0', 'policy'],
    ['resource', 'aws_iam_user_group_membership'],
    ['resource', 'aws_iam_user_group_membership', 'm', 'groups'],
    ['resource', 'aws_s3_bucket_policy', 'p', 'bucket'],
    ['resource', 'aws_lambda_permission', 'x'],
    ['module'],
    ['module', 'm'],
    ['data'],
    ['data', 'aws_iam_policy_document'],
    ['locals'],
    ['variable'],
    ['import'],
    ['check'],
  ];
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.string(),
      fc.constantFrom('${var.x}', '${aws_iam_role.role_app.name}', '{"Statement":[]}', JSON.stringify(READ_S3)),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 3 }),
    object: fc.dictionary(fc.constantFrom('name', 'policy', 'aws', 'x', 'Statement', 'tags', 'role', 'groups', '0'), tie('value'), { maxKeys: 3 }),
  })).value;

  it('never throws anything but a PolicyValidationError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLACES), json, (path, value) => {
        const stack = JSON.parse(
          JSON.stringify(
            withRole({
              aws_iam_user_group_membership: { m: { user: 'alice', groups: ['g'] } },
              aws_s3_bucket_policy: { p: { bucket: 'b', policy: JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: '*', Resource: 'arn:aws:s3:::b/*' })) } },
            }),
          ),
        ) as Record<string, unknown>;
        let at: Record<string, unknown> = stack;
        for (const key of path.slice(0, -1)) {
          if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
          at = at[key] as Record<string, unknown>;
        }
        at[path[path.length - 1]] = value;
        try {
          read(stack);
        } catch (e) {
          if (!(e instanceof PolicyValidationError)) throw e;
        }
      }),
      { numRuns: 1500, seed: 20_261_215 },
    );
  });
});
