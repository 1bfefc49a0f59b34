import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { EcrDockerPushPolicy, ecrDockerPushPolicy, EcsServiceDeploymentPolicy, ecsServiceDeploymentPolicy, TerraformRemoteStateS3Policy, TerragruntPolicy } from '../modules/ci-policies';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { ACCOUNT, checkedAs, iamNameCheck, iamPathCheck, REGION, stateBackendSettings, stateChecks } from './private/setting-checks';
import { type SettingProps, StackSettingSpecs } from './private/stack-settings';

/** An ECS deployment valid but for the part a check puts in. */
const ECS = { serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web'], taskDefinitionFamilies: ['web'], passRoleArns: ['arn:aws:iam::123456123456:role/web-task'] };
const passRoleCheck = checkedAs('passRoleArns[0]', (arn) => ecsServiceDeploymentPolicy({ ...ECS, passRoleArns: [arn] }));

/**
 * The settings of `ci-policies`: each a prop, else `CI_POLICIES_<NAME>` in the environment, else
 * `ciPolicies.<name>` in the cdktf context, else the seed's value. The ARNs are built from `region` and
 * `account` by default.
 */
export const CI_POLICIES_SETTINGS = new StackSettingSpecs('ci-policies', {
  region: REGION,
  account: ACCOUNT,
  userName: { fallback: 'ci', check: iamNameCheck('user') },
  userPath: { fallback: '/ci/', check: iamPathCheck },
  ecrRepositoryArn: {
    fallback: ({ region, account }) => `arn:aws:ecr:${region}:${account}:repository/web`,
    check: checkedAs('repositoryArns[0]', (arn) => ecrDockerPushPolicy({ repositoryArns: [arn] })),
  },
  ecsClusterArn: {
    fallback: ({ region, account }) => `arn:aws:ecs:${region}:${account}:cluster/main`,
    check: checkedAs('clusterArn', (clusterArn) => ecsServiceDeploymentPolicy({ ...ECS, clusterArn })),
  },
  /** A service of `ecsClusterArn`. */
  ecsServiceArn: {
    fallback: ({ region, account }) => `arn:aws:ecs:${region}:${account}:service/main/web`,
    check: checkedAs('serviceArns[0]', (arn, { ecsClusterArn }) => ecsServiceDeploymentPolicy({ ...ECS, serviceArns: [arn], clusterArn: ecsClusterArn })),
  },
  taskDefinitionFamily: { fallback: 'web', check: checkedAs('taskDefinitionFamilies[0]', (family) => ecsServiceDeploymentPolicy({ ...ECS, taskDefinitionFamilies: [family] })) },
  taskRoleArn: { fallback: ({ account }) => `arn:aws:iam::${account}:role/web-task`, check: passRoleCheck },
  executionRoleArn: { fallback: ({ account }) => `arn:aws:iam::${account}:role/web-execution`, check: passRoleCheck },
  ...stateBackendSettings('ci-terraform-state', 'ci-terraform-locks'),
  /** The state keys the CI user may apply. */
  stateKey: { fallback: 'services/*/terraform.tfstate', check: stateChecks.key },
});

export type CiPoliciesStackProps = ReproducibleStackProps & SettingProps<typeof CI_POLICIES_SETTINGS.specs>;

/**
 * The seed's CI set-up: "an IAM User specially for your CI tool", granted the minimum permissions of each
 * of Gruntwork's iam-policies modules, each a managed policy attached to that user.
 */
export class CiPoliciesStack extends ReproducibleStack {
  readonly ciUser: IamUser;

  constructor(scope: Construct, name = 'ci-policies', props: CiPoliciesStackProps = {}) {
    const settings = CI_POLICIES_SETTINGS.read(scope, name, props);
    super(scope, name, { ...props, region: settings.region });
    this.ciUser = new IamUser(this, 'ci_user', { name: settings.userName, path: settings.userPath });
    const attachToUsers = [this.ciUser];

    const ecr = new EcrDockerPushPolicy(this, 'ecr_docker_push', {
      repositoryArns: [settings.ecrRepositoryArn],
      attachToUsers,
      outputPrefix: 'ecr_docker_push_',
    });
    const ecs = new EcsServiceDeploymentPolicy(this, 'ecs_service_deployment', {
      serviceArns: [settings.ecsServiceArn],
      taskDefinitionFamilies: [settings.taskDefinitionFamily],
      passRoleArns: [settings.taskRoleArn, settings.executionRoleArn],
      clusterArn: settings.ecsClusterArn,
      attachToUsers,
      outputPrefix: 'ecs_service_deployment_',
    });
    const state = new TerraformRemoteStateS3Policy(this, 'terraform_remote_state_s3', {
      stateBucketArn: settings.stateBucketArn,
      lockTableArn: settings.lockTableArn,
      canApply: [{ key: settings.stateKey, workspaces: [] }],
      attachToUsers,
      outputPrefix: 'terraform_remote_state_s3_',
    });
    const terragrunt = new TerragruntPolicy(this, 'terragrunt', {
      stateBucketArns: [settings.stateBucketArn],
      lockTableArns: [settings.lockTableArn],
      attachToUsers,
      outputPrefix: 'terragrunt_',
    });
    // The attachments were keyed by position (user-0) before they were keyed by the user's name (user-ci).
    for (const [policy, logicalId] of [
      [ecr, 'ecr_docker_push_user-0_F691A33F'],
      [ecs, 'ecs_service_deployment_user-0_FCE2361A'],
      [state, 'terraform_remote_state_s3_user-0_D6DE90D5'],
      [terragrunt, 'terragrunt_user-0_DFFD4D27'],
    ] as const) {
      keepAddress(policy.node.tryFindChild(`user-${settings.userName}`) as TerraformResource | undefined, logicalId);
    }
  }
}
