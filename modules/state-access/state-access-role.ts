import type { Construct } from 'constructs';
import { shape, shapeFindings } from '../core/input-shape';
import { throwIfAny } from '../core/policy-error';
import { Role, ROLE_PROPS_FIELDS, type RoleProps } from '../iam-role/role';
import { STATE_PERMISSIONS_FIELDS } from './private/grants';
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

/**
 * Every field it takes and its JavaScript type, checked first, so that a field of neither the role nor the
 * permissions is refused here rather than passed to the permissions policy (`Role` and `statePermissionsPolicy`
 * check theirs again).
 */
const PROPS_SHAPE = shape.object(
  {
    ...Object.fromEntries(ROLE_FIELDS.map((field) => [field, ROLE_PROPS_FIELDS[field]])),
    ...STATE_PERMISSIONS_FIELDS,
  },
  { strict: true, example: "{ name: 'state-access', stateBucketArn: 'arn:aws:s3:::my-state-bucket', trustPolicy: { accounts: ['123456123456'] }, canApply: [{ key: 'terraform.tfstate' }] }" },
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
    throwIfAny(scope.node.path === '' ? id : `${scope.node.path}/${id}`, shapeFindings(props, PROPS_SHAPE, ''));
    const role: Record<string, unknown> = {};
    const permissions: Record<string, unknown> = {};
    const roleFields: ReadonlySet<string> = new Set(ROLE_FIELDS);
    for (const [key, value] of Object.entries(props)) (roleFields.has(key) ? role : permissions)[key] = value;
    super(scope, id, role as unknown as RoleProps);
    this.permissions = new StatePermissionsPolicy(this, 'permissions', { ...(permissions as unknown as StatePermissionsProps), role: this });
  }
}
