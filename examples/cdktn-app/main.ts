// A team's own CDK Terrain (cdktn) app using least-privilege-iam: the state-access role its CI uses to run terraform.
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, S3Backend, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { githubActionsOidcProvider, OidcProvider } from 'least-privilege-iam/cdktn/iam-role';
import { StateAccessRole } from 'least-privilege-iam/cdktn/state-access';

const ACCOUNT = '111122223333';

class PlatformIamStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1', allowedAccountIds: [ACCOUNT] });
    // S3 native state locking: useLockfile is a prop of CDK Terrain's S3Backend (cdktf's has none).
    new S3Backend(this, { bucket: 'example-terraform-state', key: 'platform-iam.tfstate', region: 'eu-west-1', useLockfile: true });

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

// cdktn checks backend features against the Terraform versions a project targets (cdktf.json's
// targetVersions, or this context when the app runs without the cdktn CLI): S3 native locking needs 1.10.
const app = new App({ context: { targetVersions: { terraform: '>=1.10.0' } } });
new PlatformIamStack(app, 'platform-iam');
app.synth();
