import type { Construct } from 'constructs';
import { CiPolicy, type CiPolicyProps } from './ci-policy';
import { terragruntPolicy, type TerragruntPolicyProps } from './terragrunt';

export interface TerragruntPolicyConstructProps extends TerragruntPolicyProps, CiPolicyProps {}

/** `terragruntPolicy` as a managed policy, attached where asked. */
export class TerragruntPolicy extends CiPolicy {
  constructor(scope: Construct, id: string, props: TerragruntPolicyConstructProps) {
    super(scope, id, props, {
      defaultName: 'terragrunt',
      description: "What Terragrunt's remote_state feature needs on the named state buckets and lock tables.",
      document: (destination) => terragruntPolicy(props, destination),
    });
  }
}
