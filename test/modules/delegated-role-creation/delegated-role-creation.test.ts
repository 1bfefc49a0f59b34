import { canonicalPolicy, type PolicyStatement } from '../../../modules/core/policy-document';
import { PolicyValidationError } from '../../../modules/core/policy-error';
import {
  DELEGATED_ROLE_CREATION_SIDS,
  delegatedRoleCreationPolicy,
  type DelegatedRoleCreationProps,
  EXAMPLE_CORP_PIPELINE,
  exampleCorpPipelinePolicy,
} from '../../../modules/delegated-role-creation/delegated-role-creation';
import seed from '../../fixtures/delegated-role-creation/seed-pipeline-policy.json';

const SEED = canonicalPolicy(seed).Statement;
const OURS = exampleCorpPipelinePolicy().Statement;
const bySid = (sid: string): PolicyStatement => OURS.find((s) => s.Sid === sid)!;
const list = (v: string | string[] | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

describe('exampleCorpPipelinePolicy against the seed (Policy 4)', () => {
  it('keeps the seed Id and its two deployment statements unchanged', () => {
    expect(exampleCorpPipelinePolicy().Id).toBe('CICDPipelineBaselinePolicy');
    expect({ ...bySid('DeployApplicationResources'), Sid: undefined }).toEqual({ ...SEED[0], Sid: undefined });
    expect({ ...bySid('ReadPublicParameters'), Sid: undefined }).toEqual({ ...SEED[1], Sid: undefined });
  });

  it.each([
    // [seed statement, our Sid]: same Action (ours may add), same Resource, same Condition (ours may add)
    [2, 'ChangeRolesOnlyWithBoundary'],
    [3, 'AttachPathPoliciesOnlyWithBoundary'],
    [5, 'ManagePathPolicies'],
    [6, 'ManagePathInstanceProfiles'],
    [10, 'ListRoles'],
  ])('seed Statement[%i] is in %s, with the same resources and conditions', (index, sid) => {
    const ours = bySid(sid);
    expect(list(ours.Action)).toEqual(expect.arrayContaining(list(SEED[index].Action)));
    expect(ours.Resource).toEqual(SEED[index].Resource);
    expect(ours.Condition).toEqual(SEED[index].Condition);
  });

  it('seed Statement[4] and [11] (GetRole twice) are ManagePathRoles and one ReadRoles', () => {
    expect([...list(bySid('ManagePathRoles').Action), ...list(bySid('ReadRoles').Action)].sort()).toEqual(list(SEED[4].Action).sort());
    expect(bySid('ReadRoles').Resource).toEqual(SEED[11].Resource);
  });

  it('fix: PassRole is limited to the services named (the seed passes to any service: PASS_ROLE_UNSCOPED)', () => {
    expect(SEED[7].Condition).toBeUndefined();
    expect(bySid('PassPathRoles')).toMatchObject({ Resource: 'arn:aws:iam::111111111111:role/application-roles/*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
    expect(bySid('PassServiceLinkedRoles').Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'autoscaling.amazonaws.com' } });
  });

  it('service-linked roles: created only under their own service path (the seed: any /aws-service-role/)', () => {
    expect(SEED[8].Resource).toBe('arn:aws:iam::111111111111:role/aws-service-role/*');
    expect(bySid('CreateServiceLinkedRoles')).toMatchObject({ Resource: 'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/*', Condition: SEED[8].Condition });
    expect(list(bySid('DeleteServiceLinkedRoles').Action)).toEqual(list(SEED[9].Action));
  });

  it('adds PutRolePermissionsBoundary and UpdateAssumeRolePolicy under the boundary condition, and two Deny guards', () => {
    expect(list(bySid('ChangeRolesOnlyWithBoundary').Action)).toEqual(expect.arrayContaining(['iam:PutRolePermissionsBoundary', 'iam:UpdateAssumeRolePolicy']));
    expect(bySid('DenyBoundaryRemoval')).toMatchObject({ Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: 'arn:aws:iam::111111111111:role/*' });
    expect(bySid('DenyBoundaryPolicyChanges')).toMatchObject({ Effect: 'Deny', Resource: EXAMPLE_CORP_PIPELINE.permissionsBoundaryArn });
  });
});

describe('delegatedRoleCreationPolicy', () => {
  const MIN: DelegatedRoleCreationProps = {
    account: '123456789012',
    rolePath: '/app/',
    permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundaries/App',
    passedToServices: ['ec2.amazonaws.com'],
  };

  it('has the Sids in order, and no service-linked role statements unless services are named', () => {
    expect(delegatedRoleCreationPolicy(EXAMPLE_CORP_PIPELINE).Statement.map((s) => s.Sid)).toEqual([...DELEGATED_ROLE_CREATION_SIDS]);
    expect(delegatedRoleCreationPolicy(MIN).Statement.map((s) => s.Sid)).toEqual(DELEGATED_ROLE_CREATION_SIDS.filter((s) => !s.includes('ServiceLinked')));
  });

  it('policyPath and instanceProfilePath default to rolePath', () => {
    const doc = delegatedRoleCreationPolicy(MIN);
    expect(doc.Statement.find((s) => s.Sid === 'ManagePathPolicies')!.Resource).toBe('arn:aws:iam::123456789012:policy/app/*');
    expect(doc.Statement.find((s) => s.Sid === 'ManagePathInstanceProfiles')!.Resource).toBe('arn:aws:iam::123456789012:instance-profile/app/*');
    expect(doc.Statement.find((s) => s.Sid === 'AttachPathPoliciesOnlyWithBoundary')!.Condition!.ArnLike).toEqual({ 'iam:PolicyARN': 'arn:aws:iam::123456789012:policy/app/*' });
  });

  it('accepts an AWS managed policy as the boundary', () => {
    expect(() => delegatedRoleCreationPolicy({ ...MIN, permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' })).not.toThrow();
  });

  it('renders the same text on every call', () => {
    expect(JSON.stringify(delegatedRoleCreationPolicy(EXAMPLE_CORP_PIPELINE))).toBe(JSON.stringify(delegatedRoleCreationPolicy({ ...EXAMPLE_CORP_PIPELINE })));
  });

  const bad: [string, Partial<DelegatedRoleCreationProps>, string, RegExp][] = [
    ['a role path without the leading /', { rolePath: 'app/' }, 'rolePath', /starts and ends with "\/"/],
    ['a role path without the trailing /', { rolePath: '/app' }, 'rolePath', /starts and ends with "\/"/],
    ['the root path', { rolePath: '/' }, 'rolePath', /root path/],
    ['a wildcard in a path', { rolePath: '/app*/' }, 'rolePath', /holds \* or \?/],
    ['the service-linked role path', { rolePath: '/aws-service-role/x/' }, 'rolePath', /service-linked/],
    ['a policy path without the trailing /', { policyPath: '/policies' }, 'policyPath', /starts and ends/],
    ['an instance profile path without the leading /', { instanceProfilePath: 'profiles/' }, 'instanceProfilePath', /starts and ends/],
    ['an account of 11 digits', { account: '12345678901' }, 'account', /12 digits/],
    ['an account with letters', { account: '12345678901a' }, 'account', /12 digits/],
    ['a boundary that is a role ARN', { permissionsBoundaryArn: 'arn:aws:iam::123456789012:role/Boundary' }, 'permissionsBoundaryArn', /not an IAM managed policy ARN/],
    ['a boundary that is no ARN', { permissionsBoundaryArn: 'PermissionsBoundary' }, 'permissionsBoundaryArn', /not an IAM managed policy ARN/],
    ['a boundary with a wildcard', { permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/*' }, 'permissionsBoundaryArn', /wildcard/],
    [
      'a boundary of another account',
      { permissionsBoundaryArn: 'arn:aws:iam::210987654321:policy/B' },
      'permissionsBoundaryArn',
      /a customer managed policy of account 210987654321, not of account 123456789012/,
    ],
    ['an empty passedToServices', { passedToServices: [] }, 'passedToServices', /empty/],
    ['an empty serviceLinkedRoleServices where given', { serviceLinkedRoleServices: [] }, 'serviceLinkedRoleServices', /empty/],
    ['a service name that is not a principal', { serviceLinkedRoleServices: ['autoscaling'] }, 'serviceLinkedRoleServices[0]', /not a service principal/],
    ['a service principal in upper case', { passedToServices: ['EC2.amazonaws.com'] }, 'passedToServices[0]', /not a service principal/],
    ['a service principal with a wildcard', { serviceLinkedRoleServices: ['*.amazonaws.com'] }, 'serviceLinkedRoleServices[0]', /wildcard/],
    ['a service listed twice', { passedToServices: ['ec2.amazonaws.com', 'ec2.amazonaws.com'] }, 'passedToServices[1]', /twice/],
  ];
  it.each(bad)('rejects %s, naming the field, the value and a fix', (_, change, field, problem) => {
    const props = { ...MIN, ...change };
    let error: unknown;
    try {
      delegatedRoleCreationPolicy(props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyValidationError);
    const findings = (error as PolicyValidationError).findings;
    expect(findings).toHaveLength(1);
    const [, base, index] = /^(\w+)(?:\[(\d+)\])?$/.exec(field)!;
    const given = (props as unknown as Record<string, unknown>)[base];
    expect(findings[0]).toMatchObject({ field, value: index === undefined ? given : (given as string[])[Number(index)] });
    expect(findings[0].problem).toMatch(problem);
    expect(findings[0].fix.length).toBeGreaterThan(0);
    expect((error as Error).message).toMatch(/^delegatedRoleCreationPolicy: 1 problem\n- /);
  });

  it('reports every bad input at once', () => {
    expect(() => delegatedRoleCreationPolicy({ ...MIN, account: '1', rolePath: 'x', passedToServices: [] })).toThrow(/3 problems/);
  });
});
