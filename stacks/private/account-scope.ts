import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, type IAspect, TerraformResource } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/**
 * A part of a stack that lives in another AWS account: its own AWS provider (alias `alias`, allowed only
 * in `account`, assuming `assumeRoleArn` when given), which every resource created under this scope uses.
 * The module constructs need not know about accounts; an aspect sets the provider of each of their
 * resources at synth. With a role to assume in each account, one set of credentials (those the role
 * trusts) deploys a stack of several accounts.
 */
export class AccountScope extends Construct {
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: { readonly alias: string; readonly account: string; readonly region: string; readonly assumeRoleArn?: string }) {
    super(scope, id);
    this.provider = new AwsProvider(scope, `aws_${props.alias}`, {
      alias: props.alias,
      region: props.region,
      allowedAccountIds: [props.account],
      ...(props.assumeRoleArn !== undefined && { assumeRole: [{ roleArn: props.assumeRoleArn }] }),
    });
    Aspects.of(this).add(new UseProvider(this.provider));
  }
}

class UseProvider implements IAspect {
  constructor(private readonly provider: AwsProvider) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && node.provider === undefined) node.provider = this.provider;
  }
}
