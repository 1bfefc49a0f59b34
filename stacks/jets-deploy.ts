import type { Construct } from 'constructs';
import { JetsDeployGroup, prefixFindings } from '../modules/deploy-group';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { iamNameCheck, REGION } from './private/setting-checks';
import { type SettingProps, StackSettingSpecs } from './private/stack-settings';

/** The AWS managed policy the seed attaches for applications that use AWS Config rules. */
export const AWS_CONFIG_ROLE_ARN = 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole';

/**
 * The settings of `jets-deploy`: each a prop, else `JETS_DEPLOY_<NAME>` in the environment, else
 * `jetsDeploy.<name>` in the cdktf context, else the seed's value.
 */
export const JETS_DEPLOY_SETTINGS = new StackSettingSpecs('jets-deploy', {
  region: REGION,
  groupName: { fallback: 'Jets', check: iamNameCheck('group') },
  policyName: { fallback: 'JetsPolicy', check: iamNameCheck('policy') },
  /** The project prefix Jets names its resources with. */
  prefix: { fallback: 'my-cool-prefix', check: (value, from) => prefixFindings(from, value) },
  /** The users put in the group: in the environment `tung,anna`, in the context `["tung", "anna"]`. */
  users: { fallback: ['tung'], check: iamNameCheck('user') },
});

export type JetsDeployStackProps = ReproducibleStackProps & SettingProps<typeof JETS_DEPLOY_SETTINGS.specs>;

/**
 * The seed's example: the group `Jets` with the least-privilege jets-deploy policy for the prefix
 * `my-cool-prefix` inline as `JetsPolicy`, the user `tung` in the group, and `AWS_ConfigRole` attached.
 */
export class JetsDeployStack extends ReproducibleStack {
  readonly deployGroup: JetsDeployGroup;

  constructor(scope: Construct, name = 'jets-deploy', props: JetsDeployStackProps = {}) {
    const settings = JETS_DEPLOY_SETTINGS.read(scope, name, props);
    super(scope, name, { ...props, region: settings.region });
    this.deployGroup = new JetsDeployGroup(this, 'jets', {
      name: settings.groupName,
      policyName: settings.policyName,
      prefix: settings.prefix,
      users: settings.users,
      managedPolicyArns: [AWS_CONFIG_ROLE_ARN],
      outputPrefix: '',
    });
  }
}
