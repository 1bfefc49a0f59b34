import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { Construct } from 'constructs';
import { type PolicyDocument, policyDocument } from '../modules/core/policy-document';
import { InstanceProfile, Role } from '../modules/iam-role';
import { validatePolicy } from '../modules/core/validate-policy';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { SEED_ACCOUNT } from './private/seed-account';

/** Where the CI's secrets are: Secrets Manager secrets named `<prefix>/…` in one account and region. */
export interface CiSecretsProps {
  readonly account: string;
  readonly region: string;
  /** The secrets' name prefix, without the trailing `/`. */
  readonly prefix: string;
}

/**
 * What the seed's CI reads: the seed article's example of "policies that allow access to the resources we
 * want to use" is reading secrets from AWS Secrets Manager (from Concourse). Least privilege for that:
 * `secretsmanager:GetSecretValue` (read a value) and `secretsmanager:DescribeSecret` (read a secret's
 * metadata, not its value), on the secrets under one name prefix only: no listing, no writes. A
 * secret's ARN ends in `-` and six random characters (Secrets Manager user guide, "Secret ARN"), so the
 * prefix is followed by `*`. Secrets encrypted with the account's `aws/secretsmanager` key need no KMS
 * permission of the caller; a customer managed key would need `kms:Decrypt` on that key as well.
 */
export function ciSecretsPolicy(props: CiSecretsProps): PolicyDocument {
  return policyDocument({
    statements: [
      {
        sid: 'ReadCiSecrets',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [`arn:aws:secretsmanager:${props.region}:${props.account}:secret:${props.prefix}/*`],
      },
    ],
  });
}

/**
 * The seed's CI role: `ci-web`, assumed by EC2 (the CI runs on an instance), with a least-privilege
 * customer managed policy attached with `aws_iam_role_policy_attachment`, its instance profile, and an EC2
 * launch template whose instances get the profile (the seed's `aws_launch_configuration`; AWS no longer
 * offers launch configurations for new accounts, so a launch template takes its place).
 */
export class CiWebStack extends ReproducibleStack {
  readonly policy: IamPolicy;
  readonly role: Role;
  readonly instanceProfile: InstanceProfile;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, name = 'ci-web', props: ReproducibleStackProps = {}) {
    super(scope, name, props);
    const region = props.region ?? 'eu-west-1';
    const document = ciSecretsPolicy({ account: SEED_ACCOUNT, region, prefix: 'ci-web' });
    validatePolicy(document, `${this.node.path}/ci_web_secrets`, { kind: 'managed' });
    this.policy = new IamPolicy(this, 'ci_web_secrets', {
      name: 'ci-web-secrets',
      description: 'Read the CI secrets under ci-web/ in Secrets Manager',
      policy: JSON.stringify(document),
    });
    this.role = new Role(this, 'ci_web_role', {
      name: 'ci-web',
      // EC2 sends no aws:SourceAccount when it assumes the role: see SERVICES_WITHOUT_SOURCE_KEYS.
      trustPolicy: { services: ['ec2.amazonaws.com'] },
      managedPolicyArns: [this.policy],
      outputPrefix: '',
    });
    // The attachment was keyed by position (attachment_0) before it was keyed by the policy's name.
    keepAddress(this.role.attachments[0], 'ci_web_role_attachment_0_75D0A930');
    this.instanceProfile = new InstanceProfile(this, 'ci_web_profile', { name: 'ci-web', role: this.role, outputPrefix: '' });
    this.launchTemplate = new LaunchTemplate(this, 'ci_web_launch_template', {
      name: 'ci-web',
      iamInstanceProfile: { name: this.instanceProfile.instanceProfileName },
    });
  }
}
