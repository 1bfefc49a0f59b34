import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The AWS provider versions the stacks accept: those the constructs are tested with, from 5.99.1 (the
 * binding of @cdktf/provider-aws 20.0.0, the lowest peer) through 6.x (21.x's; the local mirror's 5.100.0
 * in the tests that run terraform). cdktf writes the binding's exact version instead, which a team whose
 * lock file holds another version could not plan without editing the output.
 */
export const AWS_PROVIDER_VERSIONS = '>= 5.99.1, < 7.0.0';

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
 * project root, as cdktf does by default. The AWS provider is required as a range (AWS_PROVIDER_VERSIONS).
 */
export class ReproducibleStack extends TerraformStack {
  constructor(scope: Construct, name: string, props: ReproducibleStackProps = {}) {
    super(scope, name);
    new LocalBackend(this, { path: `../../../terraform.${name}.tfstate` });
    new AwsProvider(this, 'aws', { region: props.region ?? 'eu-west-1' });
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSIONS);
  }
}
