import type { Construct } from 'constructs';
import { shape, shapeFindings } from '../core/input-shape';
import { throwIfAny } from '../core/policy-error';
import { Role, type RoleProps } from '../iam-role/role';
import { TRUST_POLICY_INPUT_FIELDS } from '../private/trust-policy-input';
import type { StatePermissionsProps } from './state-permissions';
import { StatePermissionsPolicy } from './state-permissions-policy';

/**
 * A state-access role takes what a `Role` takes (its name, path, trust, tags, boundary, session length,
 * managed policies), less the inline policies: its one inline policy is the state permissions.
 */
export interface StateAccessRoleProps extends StatePermissionsProps, Omit<RoleProps, 'inlinePolicies' | 'overflowToManagedPolicies'> {}

/** The fields of `StateAccessRoleProps` that are the role's; the others are the permissions'. */
const ROLE_FIELDS = [
  'name',
  'path',
  'trustPolicy',
  'trustPolicyAcknowledge',
  'account',
  'dependsOn',
  'managedPolicyArns',
  'awsManagedPolicies',
  'maxManagedPolicies',
  'permissionsBoundary',
  'maxSessionDuration',
  'tags',
  'partition',
  'outputPrefix',
] as const satisfies readonly (keyof StateAccessRoleProps)[];

/** The JavaScript types of the role's own fields, checked first (`Role` checks them all again; the permissions' are checked by `statePermissionsPolicy`). */
const ROLE_FIELDS_SHAPE = shape.object(
  {
    name: shape.string(),
    path: shape.optional(shape.string()),
    ...TRUST_POLICY_INPUT_FIELDS,
    outputPrefix: shape.optional(shape.string()),
  },
  { example: "{ name: 'state-access', stateBucketArn: 'arn:aws:s3:::my-state-bucket', trustPolicy: { accounts: ['123456123456'] }, canApply: [{ key: 'terraform.tfstate' }] }" },
);

/**
 * A role for Terraform state access (the seed module's root module): a `Role` (`aws_iam_role` with the
 * trust policy, tags, boundary, session length and managed policy attachments it is given) with the
 * permissions inline as `terraform-state-access`, and, when `outputPrefix` is given, the outputs
 * `role_arn` and `role_name`.
 *
 * It is the `Role` itself, not a construct holding one, so that its resources keep the addresses they had
 * before it was built on `Role` (`<id>/role`, `<id>/permissions/policy`): a new address would make
 * Terraform destroy and create a user's role again.
 */
export class StateAccessRole extends Role {
  readonly permissions: StatePermissionsPolicy;

  constructor(scope: Construct, id: string, props: StateAccessRoleProps) {
    // Checked before the role is built, under the path this construct is about to have.
    throwIfAny(scope.node.path === '' ? id : `${scope.node.path}/${id}`, shapeFindings(props, ROLE_FIELDS_SHAPE, ''));
    const role: Record<string, unknown> = {};
    const permissions: Record<string, unknown> = {};
    const roleFields: ReadonlySet<string> = new Set(ROLE_FIELDS);
    for (const [key, value] of Object.entries(props)) (roleFields.has(key) ? role : permissions)[key] = value;
    super(scope, id, role as unknown as RoleProps);
    this.permissions = new StatePermissionsPolicy(this, 'permissions', { ...(permissions as unknown as StatePermissionsProps), role: this });
  }
}
