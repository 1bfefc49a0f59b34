import type { Construct } from 'constructs';
import { CiPolicy, type CiPolicyProps } from './ci-policy';
import { TERRAGRUNT_FIELDS, terragruntPolicy, type TerragruntPolicyProps } from './terragrunt';

export interface TerragruntPolicyConstructProps extends TerragruntPolicyProps, CiPolicyProps {}

/** `terragruntPolicy` as a managed policy, attached where asked. */
export class TerragruntPolicy extends CiPolicy {
  constructor(scope: Construct, id: string, props: TerragruntPolicyConstructProps) {
    super(scope, id, props, {
      defaultName: 'terragrunt',
      description: "What Terragrunt's remote_state feature needs on the named state buckets and lock tables.",
      fields: TERRAGRUNT_FIELDS,
      document: (destination) => terragruntPolicy(props, destination),
    });
  }
}
