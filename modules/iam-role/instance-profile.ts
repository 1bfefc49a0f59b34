import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { shape, shapeFindings } from '../core/input-shape';
import { type Finding, throwIfAny } from '../core/policy-error';
import { checkIamNameCollisions } from '../private/name-collisions';
import { principalName, type RoleReference } from '../private/references';
import { stackOutput } from '../private/stack-output';

export interface InstanceProfileProps {
  /** Name of the instance profile: 1 to 128 characters of letters, digits and `+=,.@_-`. */
  readonly name: string;
  /**
   * The role EC2 instances launched with the profile get: its name (or a reference to one), or the
   * construct that creates it (a `Role`, a `StateAccessRole`, an `IamRole`).
   */
  readonly role: RoleReference;
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
   * Write the Terraform outputs `<prefix>instance_profile_name` and `<prefix>instance_profile_arn`: `''`
   * gives the HCL module's names, `'ci_'` gives `ci_instance_profile_arn`.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

/** Every field `InstanceProfile` takes and its JavaScript type: any other is refused. */
const PROPS_SHAPE = shape.object(
  {
    name: shape.string(),
    // A name, a reference or a construct: checked by principalName.
    role: shape.any(),
    path: shape.optional(shape.string()),
    tags: shape.optional(shape.record(shape.string())),
    outputPrefix: shape.optional(shape.string()),
  },
  { strict: true, example: "{ name: 'web', role }" },
);

/**
 * An instance profile (`aws_iam_instance_profile`) holding one role, so EC2 instances launched with it get
 * the role's credentials. An instance profile holds exactly one role (IAM API reference,
 * AddRoleToInstanceProfile: "An instance profile can contain only one role, and this quota cannot be
 * increased"). With an `outputPrefix`, outputs `instance_profile_name` and `instance_profile_arn`.
 */
export class InstanceProfile extends Construct {
  readonly profile: IamInstanceProfile;
  /** Output `instance_profile_name` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly nameOutput: TerraformOutput | undefined;
  /** Output `instance_profile_arn` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly arnOutput: TerraformOutput | undefined;

  constructor(scope: Construct, id: string, props: InstanceProfileProps) {
    super(scope, id);
    throwIfAny(this.node.path, shapeFindings(props, PROPS_SHAPE, ''));
    const resolved = principalName('role', 'role', props.role);
    const findings: Finding[] = [...instanceProfileNameFindings('name', props.name), ...iamPathFindings('path', props.path), ...resolved.findings];
    const role = resolved.name ?? '';
    if (resolved.name !== undefined && !Token.isUnresolved(role)) findings.push(...iamNameFindings('role', role, 'role'));
    throwIfAny(this.node.path, findings);
    this.profile = new IamInstanceProfile(this, 'profile', {
      name: props.name,
      ...(props.path !== undefined && { path: props.path }),
      role,
      ...(props.tags !== undefined && { tags: { ...props.tags } }),
    });
    this.nameOutput = stackOutput(this, props.outputPrefix, 'instance_profile_name', this.profile.name, 'The name of the instance profile.');
    this.arnOutput = stackOutput(this, props.outputPrefix, 'instance_profile_arn', this.profile.arn, 'The ARN of the instance profile.');
    checkIamNameCollisions(this);
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
