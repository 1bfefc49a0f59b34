import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { delegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE } from '../../../modules/delegated-role-creation/delegated-role-creation';
import { DelegatedRoleCreationPolicy } from '../../../modules/delegated-role-creation/delegated-role-creation-policy';
import { only, synth } from '../../support/synth';

const JSON_TEXT = JSON.stringify(delegatedRoleCreationPolicy(EXAMPLE_CORP_PIPELINE));

describe('DelegatedRoleCreationPolicy', () => {
  it("a managed policy named delegated-role-creation, holding the pure function's JSON, attached to the pipeline role", () => {
    let construct!: DelegatedRoleCreationPolicy;
    const out = synth((s) => {
      const role = new IamRole(s, 'pipeline', { name: 'CICDPipelineRole', assumeRolePolicy: '{}' });
      construct = new DelegatedRoleCreationPolicy(s, 'delegation', { ...EXAMPLE_CORP_PIPELINE, attachToRoles: [role.name], outputPrefix: '' });
    });
    expect(only(out.resource.aws_iam_policy)).toMatchObject({ name: 'delegated-role-creation', policy: JSON_TEXT });
    expect(only(out.resource.aws_iam_role_policy_attachment)).toMatchObject({ role: '${aws_iam_role.pipeline.name}' });
    expect(construct.json).toBe(JSON_TEXT);
    expect(Object.keys(out.output!).sort()).toEqual(['arn', 'json', 'name']);
  });

  it('createResources false: nothing created, json still output', () => {
    const out = synth((s) => new DelegatedRoleCreationPolicy(s, 'delegation', { ...EXAMPLE_CORP_PIPELINE, createResources: false, outputPrefix: '' }));
    expect(out.resource?.aws_iam_policy).toBeUndefined();
    expect(out.output!.json.value).toBe(JSON_TEXT);
  });

  it('bad input fails synth, naming the construct path and the field', () => {
    expect(() => synth((s) => new DelegatedRoleCreationPolicy(s, 'delegation', { ...EXAMPLE_CORP_PIPELINE, rolePath: 'application-roles' }))).toThrow(
      /^test\/delegation: 1 problem\n- rolePath: "application-roles"/,
    );
  });

  it('rejects a reference as the boundary ARN', () => {
    expect(() =>
      synth((s) => {
        const role = new IamRole(s, 'r', { name: 'x', assumeRolePolicy: '{}' });
        new DelegatedRoleCreationPolicy(s, 'delegation', { ...EXAMPLE_CORP_PIPELINE, permissionsBoundaryArn: role.arn });
      }),
    ).toThrow(/permissionsBoundaryArn: .*reference/);
  });
});
