import type { Construct } from 'constructs';
import { JetsDeployGroup } from '../modules/deploy-group';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';

/** The AWS managed policy the seed attaches for applications that use AWS Config rules. */
export const AWS_CONFIG_ROLE_ARN = 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole';

/**
 * The seed's example: the group `Jets` with the least-privilege jets-deploy policy for the prefix
 * `my-cool-prefix` inline as `JetsPolicy`, the user `tung` in the group, and `AWS_ConfigRole` attached.
 */
export class JetsDeployStack extends ReproducibleStack {
  readonly deployGroup: JetsDeployGroup;

  constructor(scope: Construct, name = 'jets-deploy', props: ReproducibleStackProps = {}) {
    super(scope, name, props);
    this.deployGroup = new JetsDeployGroup(this, 'jets', {
      name: 'Jets',
      policyName: 'JetsPolicy',
      prefix: 'my-cool-prefix',
      users: ['tung'],
      managedPolicyArns: [AWS_CONFIG_ROLE_ARN],
      outputPrefix: '',
    });
  }
}
