import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { type Finding, throwIfAny } from '../core/policy-error';
import { stackOutput } from '../private/stack-output';
import { Role } from './role';

export interface InstanceProfileProps {
  /** Name of the instance profile: 1 to 128 characters of letters, digits and `+=,.@_-`. */
  readonly name: string;
  /** The role EC2 instances launched with the profile get: a `Role`, or a role name (or a reference to one). */
  readonly role: Role | string;
  /**
   * Path of the instance profile.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Tags of the instance profile.
   * @default - no tags
   */
  readonly tags?: { readonly [key: string]: string };
  /**
   * Put before the output names, for a stack with more than one profile (`ci_` gives `ci_instance_profile_arn`).
   * @default '' - outputs `instance_profile_name` and `instance_profile_arn`
   */
  readonly outputPrefix?: string;
}

/**
 * An instance profile (`aws_iam_instance_profile`) holding one role, so EC2 instances launched with it get
 * the role's credentials. An instance profile holds exactly one role (IAM API reference,
 * AddRoleToInstanceProfile: "An instance profile can contain only one role, and this quota cannot be
 * increased"). Outputs `instance_profile_name` and `instance_profile_arn`.
 */
export class InstanceProfile extends Construct {
  readonly profile: IamInstanceProfile;
  /** Output `instance_profile_name` (after `outputPrefix`). */
  readonly nameOutput: TerraformOutput;
  /** Output `instance_profile_arn` (after `outputPrefix`). */
  readonly arnOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: InstanceProfileProps) {
    super(scope, id);
    const role = props.role instanceof Role ? props.role.roleName : props.role;
    const findings: Finding[] = [...instanceProfileNameFindings('name', props.name), ...iamPathFindings('path', props.path)];
    if (typeof role === 'string' && !Token.isUnresolved(role)) findings.push(...iamNameFindings('role', role, 'role'));
    throwIfAny(this.node.path, findings);
    this.profile = new IamInstanceProfile(this, 'profile', {
      name: props.name,
      ...(props.path !== undefined && { path: props.path }),
      role,
      ...(props.tags !== undefined && { tags: { ...props.tags } }),
    });
    const prefix = props.outputPrefix ?? '';
    this.nameOutput = stackOutput(this, `${prefix}instance_profile_name`, this.profile.name, 'The name of the instance profile.');
    this.arnOutput = stackOutput(this, `${prefix}instance_profile_arn`, this.profile.arn, 'The ARN of the instance profile.');
  }

  get instanceProfileName(): string {
    return this.profile.name;
  }

  get instanceProfileArn(): string {
    return this.profile.arn;
  }
}

/** `InstanceProfileName`: IAM API reference, CreateInstanceProfile (the core's `iamNameFindings`). */
function instanceProfileNameFindings(field: string, name: string): Finding[] {
  return iamNameFindings(field, name, 'instanceProfile');
}
