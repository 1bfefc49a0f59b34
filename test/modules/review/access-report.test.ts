import { AWS_MANAGED_POLICIES_AS_OF } from '../../../modules/core';
import { serviceActions } from '../../../modules/core/iam-data';
import { accessReport, grantRows, documentGrants, readStack, renderReport, reportJson, type SubjectReport } from '../../../modules/review';
import { doc, read, roleResources, roleStack, stackJson } from './crafted-stacks';

const SOURCE = { stacksDir: 'stacks', command: 'npm run report', jsonFile: 'access-report.json' };
const subjectOf = (report: ReturnType<typeof accessReport>, name: string): SubjectReport => report.stacks.flatMap((s) => s.subjects).find((s) => s.name === name)!;

describe('accessReport: who may do what, per subject', () => {
  const risky = doc(
    { Sid: 'Admin', Action: ['iam:PutRolePolicy', 'iam:PassRole'], Effect: 'Allow', Resource: '*' },
    { Sid: 'AllS3', Action: 's3:*', Effect: 'Allow', Resource: 'arn:aws:s3:::data/*' },
    { Sid: 'Others', Action: 'sqs:SendMessage', Effect: 'Allow', NotResource: 'arn:aws:sqs:*:*:private-*' },
    { Sid: 'NoDelete', Action: 's3:DeleteObject', Effect: 'Deny', Resource: '*' },
  );
  // AWSConfigRole: deprecated by AWS (July 2022), so not in the library's copy of AWS's managed policies.
  const RETIRED = 'arn:aws:iam::aws:policy/service-role/AWSConfigRole';
  const report = accessReport([roleStack({ name: 'deployer', inline: [risky], awsManaged: [RETIRED] })]);
  const deployer = subjectOf(report, 'deployer');

  it('groups grants by service and access level (from iam-data), with resources, conditions and where they come from', () => {
    const iam = deployer.permissions.filter((r) => r.service === 'iam');
    expect(iam.map((r) => [r.effect, r.accessLevel, r.actions, r.resources, r.policies])).toEqual([
      ['Allow', 'Write', ['PassRole'], ['*'], ['inline inline-0 (Admin)']],
      ['Allow', 'Permissions management', ['PutRolePolicy'], ['*'], ['inline inline-0 (Admin)']],
    ]);
    const s3 = deployer.permissions.find((r) => r.service === 's3' && r.effect === 'Allow')!;
    expect(s3).toMatchObject({ accessLevel: 'All', allActions: true, resources: ['arn:aws:s3:::data/*'] });
    expect(deployer.permissions.find((r) => r.effect === 'Deny')).toMatchObject({ service: 's3', actions: ['DeleteObject'], resources: ['*'] });
  });

  it('flags the risky grants: permissions management, PassRole, whole services, "*" and NotResource', () => {
    const flagsOf = (service: string, level: string) => deployer.permissions.find((r) => r.service === service && r.accessLevel === level)!.flags;
    expect(flagsOf('iam', 'Permissions management')).toEqual(['PERMISSIONS_MANAGEMENT', 'ANY_RESOURCE']);
    expect(flagsOf('iam', 'Write')).toEqual(['PASS_ROLE', 'ANY_RESOURCE']);
    expect(flagsOf('s3', 'All')).toContain('SERVICE_WILDCARD');
    expect(flagsOf('sqs', 'Write')).toEqual(['NOT_RESOURCE']);
    // The crafted role trusts an account, and its provider names none: CROSS_ACCOUNT, which no construct accepted.
    expect(deployer.flags).toEqual([
      'SERVICE_WILDCARD',
      'ESCALATION_PATH',
      'PERMISSIONS_MANAGEMENT',
      'PASS_ROLE',
      'DATA_EXFILTRATION',
      'ANY_RESOURCE',
      'NOT_RESOURCE',
      'RESOURCE_WILDCARD',
      'CROSS_ACCOUNT',
      'NOT_ACKNOWLEDGED',
      'NOT_EXPANDED',
    ]);
  });

  it('names an AWS managed policy AWS does not offer by ARN, marked as not expanded', () => {
    const label = `AWS managed ${RETIRED} (not one of AWS's managed policies as of ${AWS_MANAGED_POLICIES_AS_OF.updated})`;
    expect(deployer.policies.find((p) => p.attachment === 'aws-managed')).toEqual({ label, attachment: 'aws-managed', arn: RETIRED, expanded: false });
    expect(renderReport(report, SOURCE)).toContain(`${label} **\`NOT_EXPANDED\`**`);
  });

  it('expands an AWS managed policy AWS offers into its grants: AdministratorAccess is * on *', () => {
    const admin = subjectOf(accessReport([roleStack({ name: 'admin', awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess'] })]), 'admin');
    expect(admin.policies).toEqual([
      { label: 'AWS managed arn:aws:iam::aws:policy/AdministratorAccess', attachment: 'aws-managed', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', expanded: true, version: 'v1' },
    ]);
    expect(admin.permissions).toEqual([
      expect.objectContaining({ effect: 'Allow', accessLevel: 'All', actions: [], resources: ['*'], policies: ['AWS managed arn:aws:iam::aws:policy/AdministratorAccess (statement 1)'] }),
    ]);
    expect(admin.flags).not.toContain('NOT_EXPANDED');
    expect(admin.flags).toEqual(expect.arrayContaining(['ANY_ACTION', 'PERMISSIONS_MANAGEMENT', 'PASS_ROLE', 'ANY_RESOURCE']));
  });

  it('expands a large one through iam-data, like any other policy: ReadOnlyAccess', () => {
    const reader = subjectOf(accessReport([roleStack({ name: 'reader', awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })]), 'reader');
    expect(reader.policies[0]).toMatchObject({ expanded: true, version: expect.stringMatching(/^v\d+$/) });
    // Read and List, and the few actions iam-data classes otherwise (athena:GetSessionEndpoint is Write there).
    expect(reader.permissions.filter((r) => r.accessLevel === 'Read' || r.accessLevel === 'List').length).toBeGreaterThan(300);
    expect(reader.permissions.some((r) => r.service === 'iam' && r.accessLevel === 'Permissions management')).toBe(false);
    expect(reader.permissions.find((r) => r.service === 's3' && r.actions.includes('GetObject'))).toMatchObject({ effect: 'Allow', resources: ['*'] });
  });

  it('lists the trust policy: who may assume the role', () => {
    expect(deployer.trust!.map((r) => [r.principals, r.service, r.actions, r.resources])).toEqual([[['AWS arn:aws:iam::111111111111:root'], 'sts', ['AssumeRole'], ['(this role)']]]);
  });

  it('one row for every action of every service, listing what it lacks (NotAction)', () => {
    const rows = grantRows(documentGrants(doc({ NotAction: ['iam:*', 's3:GetObject'], Effect: 'Allow', Resource: '*' }), { policy: 'p', resourceless: 'any' }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ service: '*', allActions: true, except: ['iam:*', 's3:GetObject'] });
    expect(rows[0].flags).toEqual(expect.arrayContaining(['ANY_ACTION', 'NOT_ACTION']));
  });

  it('a whole service written action by action is still a whole service', () => {
    const all = [...serviceActions('sqs').values()].map((a) => `sqs:${a.name}`);
    const rows = grantRows(documentGrants(doc({ Action: all, Effect: 'Allow', Resource: '*' }), { policy: 'p', resourceless: 'any' }));
    expect(rows.map((r) => [r.service, r.accessLevel, r.flags])).toEqual([['sqs', 'All', ['SERVICE_WILDCARD', 'PERMISSIONS_MANAGEMENT', 'DATA_EXFILTRATION', 'ANY_RESOURCE']]]);
  });

  it('marks a policy over the size IAM allows (an oversized inline policy)', () => {
    const big = doc(...Array.from({ length: 300 }, (_, i) => ({ Action: 's3:GetObject', Effect: 'Allow' as const, Resource: `arn:aws:s3:::bucket-${i}/*` })));
    const oversized = subjectOf(accessReport([roleStack({ name: 'big', inline: [big] })]), 'big');
    expect(oversized.flags).toContain('OVER_SIZE_LIMIT');
    expect(oversized.sizes.find((s) => s.over)).toMatchObject({ what: 'inline policies of role big, summed', limit: 10_240 });
    // Still reported in full: every bucket is listed.
    expect(oversized.permissions[0].resources).toHaveLength(300);
  });

  it('SCP and boundary statements only restrict: they carry no risk flags', () => {
    const boundary = doc({ Action: '*', Effect: 'Allow', Resource: '*' });
    const r = subjectOf(accessReport([roleStack({ name: 'bounded', boundary })]), 'bounded');
    expect(r.boundary!.rows.every((row) => row.flags.length === 0)).toBe(true);
    const scp = accessReport([
      read(stackJson({ aws_organizations_policy: { p: { name: 'guard', type: 'SERVICE_CONTROL_POLICY', content: JSON.stringify(doc({ Action: '*', Effect: 'Allow', Resource: '*' })) } } })),
    ]);
    expect(subjectOf(scp, 'guard').flags).toEqual([]);
  });
});

describe('the report is deterministic', () => {
  const stacks = () => [
    roleStack({ name: 'a', inline: [doc({ Action: ['s3:PutObject', 's3:GetObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::b/2', 'arn:aws:s3:::b/1'] })] }, 'one'),
    read(stackJson({ ...roleResources({ name: 'z', managed: [doc({ Action: 'sqs:*', Effect: 'Allow', Resource: '*' })] }) }), 'two'),
  ];

  it('the same stacks, given in any order and with their resources in any order, give the same bytes', () => {
    const forward = accessReport(stacks());
    const reversed = accessReport([...stacks()].reverse());
    expect(renderReport(reversed, SOURCE)).toBe(renderReport(forward, SOURCE));
    expect(reportJson(reversed)).toBe(reportJson(forward));
    const resources = roleResources({ name: 'a', inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' })], awsManaged: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B'] });
    const shuffled = Object.fromEntries(
      Object.entries(resources)
        .reverse()
        .map(([t, byName]) => [t, Object.fromEntries(Object.entries(byName).reverse())]),
    );
    expect(reportJson(accessReport([readStack('s', stackJson(shuffled), 'test')]))).toBe(reportJson(accessReport([readStack('s', stackJson(resources), 'test')])));
  });

  it('the Markdown names its source relative to itself, and has a section per stack and per subject', () => {
    const text = renderReport(accessReport(stacks()), SOURCE);
    expect(text).toContain('read by `npm run report` from the synthesized stacks beside this file (`stacks/<stack>/cdk.tf.json`)');
    expect(text).toContain('## Stack `one`');
    expect(text).toContain('### Role `a`');
    expect(text).toContain('### Role `z`');
    expect(text).toContain('| Allow | `sqs` | all | every `sqs` action (`sqs:*`) | `*` |');
    expect(text.endsWith('\n')).toBe(true);
  });
});
