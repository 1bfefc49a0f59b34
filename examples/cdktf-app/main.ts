// A team's own cdktf app using least-privilege-iam: the state-access role its CI uses to run terraform.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { githubActionsOidcProvider, OidcProvider } from 'least-privilege-iam/iam-role';
import { StateAccessRole } from 'least-privilege-iam/state-access';

const ACCOUNT = '111122223333';

class PlatformIamStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1', allowedAccountIds: [ACCOUNT] });
    const backend = new S3Backend(this, { bucket: 'example-terraform-state', key: 'platform-iam.tfstate', region: 'eu-west-1' });
    // S3 native state locking (Terraform 1.10+): cdktf's S3Backend has no useLockfile prop (CDK Terrain's has).
    backend.addOverride('use_lockfile', true);

    const github = new OidcProvider(this, 'github', githubActionsOidcProvider());
    new StateAccessRole(this, 'network_state', {
      name: 'network-terraform-state',
      account: ACCOUNT,
      dependsOn: [github.provider],
      trustPolicy: { githubActions: [{ owner: 'example-org', repository: 'network', branches: ['main'] }] },
      stateBucketArn: 'arn:aws:s3:::example-terraform-state',
      useLockfile: true,
      canApply: [{ key: 'network.tfstate' }],
    });
  }
}

const app = new App();
new PlatformIamStack(app, 'platform-iam');
app.synth();
