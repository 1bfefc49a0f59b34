import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { Construct } from 'constructs';
import { type PolicyDocument, policyDocument } from '../modules/core/policy-document';
import { InstanceProfile, Role } from '../modules/iam-role';
import { validatePolicy } from '../modules/core/validate-policy';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { ACCOUNT, iamNameCheck, REGION } from './private/setting-checks';
import { type SettingProps, StackSettingSpecs } from './private/stack-settings';

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
 * The settings of `ci-web`: each a prop, else `CI_WEB_<NAME>` in the environment, else `ciWeb.<name>` in the
 * cdktf context, else the seed's value.
 */
export const CI_WEB_SETTINGS = new StackSettingSpecs('ci-web', {
  /** The provider's region, and the secrets'. */
  region: REGION,
  /** The secrets' account. */
  account: ACCOUNT,
  /** The secrets' name prefix, without the trailing `/`. */
  secretsPrefix: {
    fallback: 'ci-web',
    // The prefix is written into the policy's Resource, where `*` and `?` match as wildcards and `${…}` is a policy variable.
    check: (value, from) =>
      value === '' || /[*?]|\$\{/.test(value)
        ? [{ field: from, value, problem: 'a prefix that is empty or holds a wildcard or policy variable would let the CI read secrets outside it', fix: 'write the prefix out, e.g. "ci-web"' }]
        : [],
  },
  policyName: { fallback: 'ci-web-secrets', check: iamNameCheck('policy') },
  roleName: { fallback: 'ci-web', check: iamNameCheck('role') },
  instanceProfileName: { fallback: 'ci-web', check: iamNameCheck('instanceProfile') },
  launchTemplateName: { fallback: 'ci-web' },
});

export type CiWebStackProps = ReproducibleStackProps & SettingProps<typeof CI_WEB_SETTINGS.specs>;

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

  constructor(scope: Construct, name = 'ci-web', props: CiWebStackProps = {}) {
    const settings = CI_WEB_SETTINGS.read(scope, name, props);
    super(scope, name, { ...props, region: settings.region });
    const document = ciSecretsPolicy({ account: settings.account, region: settings.region, prefix: settings.secretsPrefix });
    validatePolicy(document, `${this.node.path}/ci_web_secrets`, { kind: 'managed' });
    this.policy = new IamPolicy(this, 'ci_web_secrets', {
      name: settings.policyName,
      description: `Read the CI secrets under ${settings.secretsPrefix}/ in Secrets Manager`,
      policy: JSON.stringify(document),
    });
    this.role = new Role(this, 'ci_web_role', {
      name: settings.roleName,
      // EC2 sends no aws:SourceAccount when it assumes the role: see SERVICES_WITHOUT_SOURCE_KEYS.
      trustPolicy: { services: ['ec2.amazonaws.com'] },
      managedPolicyArns: [this.policy],
      outputPrefix: '',
    });
    // The attachment was keyed by position (attachment_0) before it was keyed by the policy's name.
    keepAddress(this.role.attachments[0], 'ci_web_role_attachment_0_75D0A930');
    this.instanceProfile = new InstanceProfile(this, 'ci_web_profile', { name: settings.instanceProfileName, role: this.role, outputPrefix: '' });
    this.launchTemplate = new LaunchTemplate(this, 'ci_web_launch_template', {
      name: settings.launchTemplateName,
      iamInstanceProfile: { name: this.instanceProfile.instanceProfileName },
    });
  }
}
