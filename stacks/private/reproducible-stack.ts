import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export interface ReproducibleStackProps {
  /**
   * AWS region for the provider. IAM is global; the provider needs a region all the same.
   * @default 'eu-west-1'
   */
  readonly region?: string;
}

/**
 * A stack whose synthesized JSON is the same on every machine. cdktf's default local backend writes the
 * absolute path of the project into `cdk.tf.json`; this one names the same file relative to the folder
 * terraform runs in (`cdktf.out/stacks/<name>`), so `cdktf deploy` and
 * `terraform -chdir=cdktf.out/stacks/<name> apply` keep the state at `terraform.<name>.tfstate` in the
 * project root, as cdktf does by default.
 */
export class ReproducibleStack extends TerraformStack {
  constructor(scope: Construct, name: string, props: ReproducibleStackProps = {}) {
    super(scope, name);
    new LocalBackend(this, { path: `../../../terraform.${name}.tfstate` });
    new AwsProvider(this, 'aws', { region: props.region ?? 'eu-west-1' });
  }
}
