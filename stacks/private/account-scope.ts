import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, type IAspect, TerraformResource } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/**
 * A part of a stack that lives in another AWS account: its own AWS provider (alias `alias`, allowed only
 * in `account`), which every resource created under this scope uses. The module constructs need not know
 * about accounts; an aspect sets the provider of each of their resources at synth.
 */
export class AccountScope extends Construct {
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: { readonly alias: string; readonly account: string; readonly region: string }) {
    super(scope, id);
    this.provider = new AwsProvider(scope, `aws_${props.alias}`, { alias: props.alias, region: props.region, allowedAccountIds: [props.account] });
    Aspects.of(this).add(new UseProvider(this.provider));
  }
}

class UseProvider implements IAspect {
  constructor(private readonly provider: AwsProvider) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && node.provider === undefined) node.provider = this.provider;
  }
}
