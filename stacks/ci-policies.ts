import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { EcrDockerPushPolicy, EcsServiceDeploymentPolicy, TerraformRemoteStateS3Policy, TerragruntPolicy } from '../modules/ci-policies';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { SEED_ACCOUNT } from './private/seed-account';

const REGION = 'eu-west-1';

/**
 * The seed's CI set-up: "an IAM User specially for your CI tool", granted the minimum permissions of each
 * of Gruntwork's iam-policies modules, each a managed policy attached to that user.
 */
export class CiPoliciesStack extends ReproducibleStack {
  readonly ciUser: IamUser;

  constructor(scope: Construct, name = 'ci-policies', props: ReproducibleStackProps = {}) {
    super(scope, name, props);
    this.ciUser = new IamUser(this, 'ci_user', { name: 'ci', path: '/ci/' });
    const attachToUsers = [this.ciUser];

    const ecr = new EcrDockerPushPolicy(this, 'ecr_docker_push', {
      repositoryArns: [`arn:aws:ecr:${REGION}:${SEED_ACCOUNT}:repository/web`],
      attachToUsers,
      outputPrefix: 'ecr_docker_push_',
    });
    const ecs = new EcsServiceDeploymentPolicy(this, 'ecs_service_deployment', {
      serviceArns: [`arn:aws:ecs:${REGION}:${SEED_ACCOUNT}:service/main/web`],
      taskDefinitionFamilies: ['web'],
      passRoleArns: [`arn:aws:iam::${SEED_ACCOUNT}:role/web-task`, `arn:aws:iam::${SEED_ACCOUNT}:role/web-execution`],
      clusterArn: `arn:aws:ecs:${REGION}:${SEED_ACCOUNT}:cluster/main`,
      attachToUsers,
      outputPrefix: 'ecs_service_deployment_',
    });
    const state = new TerraformRemoteStateS3Policy(this, 'terraform_remote_state_s3', {
      stateBucketArn: 'arn:aws:s3:::ci-terraform-state',
      lockTableArn: `arn:aws:dynamodb:${REGION}:${SEED_ACCOUNT}:table/ci-terraform-locks`,
      canApply: [{ key: 'services/*/terraform.tfstate', workspaces: [] }],
      attachToUsers,
      outputPrefix: 'terraform_remote_state_s3_',
    });
    const terragrunt = new TerragruntPolicy(this, 'terragrunt', {
      stateBucketArns: ['arn:aws:s3:::ci-terraform-state'],
      lockTableArns: [`arn:aws:dynamodb:${REGION}:${SEED_ACCOUNT}:table/ci-terraform-locks`],
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
      keepAddress(policy.node.tryFindChild('user-ci') as TerraformResource | undefined, logicalId);
    }
  }
}
