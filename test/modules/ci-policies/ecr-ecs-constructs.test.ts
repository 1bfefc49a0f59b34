import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { Construct } from 'constructs';
import { ecrDockerPushPolicy } from '../../../modules/ci-policies/ecr-docker-push';
import { EcrDockerPushPolicy } from '../../../modules/ci-policies/ecr-docker-push-policy';
import { ecsServiceDeploymentPolicy, type EcsServiceDeploymentProps } from '../../../modules/ci-policies/ecs-service-deployment';
import { EcsServiceDeploymentPolicy } from '../../../modules/ci-policies/ecs-service-deployment-policy';
import { only, synth } from '../../support/synth';

const ECR = { repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/web'] };
const ECS: EcsServiceDeploymentProps = {
  serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web'],
  taskDefinitionFamilies: ['web'],
  passRoleArns: ['arn:aws:iam::123456123456:role/web-task', 'arn:aws:iam::123456123456:role/web-execution'],
  clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/main',
};

describe.each([
  ['EcrDockerPushPolicy', 'ecr-docker-push', (s: Construct, id: string, extra: object) => new EcrDockerPushPolicy(s, id, { ...ECR, ...extra }), JSON.stringify(ecrDockerPushPolicy(ECR))],
  [
    'EcsServiceDeploymentPolicy',
    'ecs-service-deployment',
    (s: Construct, id: string, extra: object) => new EcsServiceDeploymentPolicy(s, id, { ...ECS, ...extra }),
    JSON.stringify(ecsServiceDeploymentPolicy(ECS)),
  ],
] as const)('%s', (_, defaultName, build, json) => {
  it("a managed policy with the default name and a description, whose policy is the pure function's JSON, as a literal", () => {
    let construct!: EcrDockerPushPolicy | EcsServiceDeploymentPolicy;
    const out = synth((s) => {
      construct = build(s, 'ci', {});
    });
    const policy = only(out.resource!.aws_iam_policy);
    expect(policy).toMatchObject({ name: defaultName, policy: json });
    expect(typeof policy.description).toBe('string');
    expect(policy.path).toBeUndefined();
    expect(construct.json).toBe(json);
    expect(JSON.stringify(construct.document)).toBe(json);
    expect(construct.policy).toBeDefined();
  });

  it('name, path and description as given', () => {
    const out = synth((s) => build(s, 'ci', { name: 'ci-deploy', path: '/ci/', description: 'for CI' }));
    expect(only(out.resource!.aws_iam_policy)).toMatchObject({ name: 'ci-deploy', path: '/ci/', description: 'for CI' });
  });

  it('attaches to roles (by name or reference), users and groups', () => {
    const out = synth((s) => {
      const role = new IamRole(s, 'r', { name: 'ci', assumeRolePolicy: '{}' });
      build(s, 'ci', { attachToRoles: [role.name, 'deployer'], attachToUsers: ['jenkins'], attachToGroups: ['ci'] });
    });
    expect(Object.values(out.resource!.aws_iam_role_policy_attachment).map((a) => a.role)).toEqual(['${aws_iam_role.r.name}', 'deployer']);
    expect(only(out.resource!.aws_iam_user_policy_attachment)).toMatchObject({ user: 'jenkins', policy_arn: expect.stringMatching(/^\$\{aws_iam_policy\.ci_policy_[0-9A-F]{8}\.arn\}$/) });
    expect(only(out.resource!.aws_iam_group_policy_attachment)).toMatchObject({ group: 'ci' });
  });

  it("outputs json, arn and name, with outputPrefix ''", () => {
    expect(synth((s) => build(s, 'ci', {})).output).toBeUndefined();
    const out = synth((s) => build(s, 'ci', { outputPrefix: '' }));
    expect(Object.keys(out.output!).sort()).toEqual(['arn', 'json', 'name']);
    expect(out.output!.json.value).toBe(json);
    expect(out.output!.arn.value).toMatch(/^\$\{aws_iam_policy\.ci_policy_[0-9A-F]{8}\.arn\}$/);
    expect(out.output!.name.value).toMatch(/^\$\{aws_iam_policy\.ci_policy_[0-9A-F]{8}\.name\}$/);
  });

  it('createResources: false creates nothing but the json output', () => {
    let construct!: EcrDockerPushPolicy | EcsServiceDeploymentPolicy;
    const out = synth((s) => {
      construct = build(s, 'ci', { createResources: false, outputPrefix: '' });
    });
    expect(out.resource).toBeUndefined();
    expect(Object.keys(out.output!)).toEqual(['json']);
    expect(out.output!.json.value).toBe(json);
    expect(construct.policy).toBeUndefined();
  });

  it('output prefixes let two of them share a stack', () => {
    const out = synth((s) => {
      build(s, 'a', { outputPrefix: 'a_' });
      build(s, 'b', { outputPrefix: 'b_', name: 'other' });
    });
    expect(Object.keys(out.output!).sort()).toEqual(['a_arn', 'a_json', 'a_name', 'b_arn', 'b_json', 'b_name']);
  });

  it('a bad policy name fails, naming the construct path', () => {
    expect(() => synth((s) => build(s, 'ci', { name: 'bad name' }))).toThrow(/^test\/ci: 1 problem\n- name: "bad name"/);
  });
});

describe('errors name the construct path, the field, the value and the fix', () => {
  it('EcrDockerPushPolicy: an empty list, a wrong ARN, a wildcard', () => {
    expect(() => synth((s) => new EcrDockerPushPolicy(s, 'push', { repositoryArns: [] }))).toThrow(
      /^test\/push: 1 problem\n- repositoryArns: \[\]: the list is empty, so the policy would grant nothing on any ECR repository\. Fix: name at least one/,
    );
    expect(() => synth((s) => new EcrDockerPushPolicy(s, 'push', { repositoryArns: ['arn:aws:s3:::web'] }))).toThrow(
      'test/push: 1 problem\n- repositoryArns[0]: "arn:aws:s3:::web": not an ECR repository ARN. Fix: write it like arn:aws:ecr:eu-west-1:123456123456:repository/web',
    );
    expect(() => synth((s) => new EcrDockerPushPolicy(s, 'push', { repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/*'] }))).toThrow(
      /^test\/push: 1 problem\n- repositoryArns\[0\]: .*holds a wildcard/,
    );
  });

  it('EcsServiceDeploymentPolicy: a service outside the cluster, a wrong cluster ARN, an empty role list', () => {
    expect(() => synth((s) => new EcsServiceDeploymentPolicy(s, 'deploy', { ...ECS, serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/other/web'] }))).toThrow(
      /^test\/deploy: 1 problem\n- serviceArns\[0\]: .* is a service of arn:aws:ecs:eu-west-1:123456123456:cluster\/other, not of clusterArn/,
    );
    expect(() => synth((s) => new EcsServiceDeploymentPolicy(s, 'deploy', { ...ECS, clusterArn: 'main' }))).toThrow(
      /^test\/deploy: 1 problem\n- clusterArn: "main": not an ECS cluster ARN\. Fix: write it like/,
    );
    expect(() => synth((s) => new EcsServiceDeploymentPolicy(s, 'deploy', { ...ECS, passRoleArns: [] }))).toThrow(/^test\/deploy: 1 problem\n- passRoleArns: \[\]: the list is empty/);
  });

  it('a reference where the policy needs a literal ARN', () => {
    expect(() =>
      synth((s) => {
        const repo = new EcrRepository(s, 'repo', { name: 'web' });
        new EcrDockerPushPolicy(s, 'push', { repositoryArns: [repo.arn] });
      }),
    ).toThrow(/^test\/push: 1 problem\n- repositoryArns\[0\]: .*is a reference resolved only at apply time.*Fix: pass the literal value/);
    expect(() =>
      synth((s) => {
        const role = new IamRole(s, 'r', { name: 'web-task', assumeRolePolicy: '{}' });
        new EcsServiceDeploymentPolicy(s, 'deploy', { ...ECS, passRoleArns: [role.arn] });
      }),
    ).toThrow(/^test\/deploy: 1 problem\n- passRoleArns\[0\]: .*is a reference resolved only at apply time/);
  });

  it('createResources: false with attachments is refused', () => {
    expect(() => synth((s) => new EcrDockerPushPolicy(s, 'push', { ...ECR, createResources: false, attachToRoles: ['ci'] }))).toThrow(
      /^test\/push: 1 problem\n- createResources: false: nothing is created, so nothing can be attached/,
    );
  });
});
