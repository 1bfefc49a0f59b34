import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { checkIamNameCollisions } from '../private/name-collisions';
import { principalName, type RoleReference } from '../private/references';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { shape, shapeFindings } from '../core/input-shape';
import type { PolicyDocument } from '../core/policy-document';
import { throwIfAny } from '../core/policy-error';
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { STATE_PERMISSIONS_EXAMPLE, STATE_PERMISSIONS_FIELDS } from './private/grants';
import { rejectTokens } from './private/tokens';
import { renderStatePolicy, type StatePermissionsProps } from './state-permissions';

export interface StatePermissionsPolicyProps extends StatePermissionsProps {
  /**
   * The role to put the policy on, inline (`aws_iam_role_policy`): its name (or a reference to one), or the
   * construct that creates it (a `Role`, an `IamRole`), which Terraform then creates first.
   * @default - a customer managed policy (`aws_iam_policy`) for you to attach
   */
  readonly role?: RoleReference;
  /**
   * Name of the policy.
   * @default 'terraform-state-access'
   */
  readonly name?: string;
  /**
   * Path of the managed policy (ignored for an inline policy).
   * @default '/'
   */
  readonly path?: string;
  /**
   * Description of the managed policy (ignored for an inline policy).
   * @default - none
   */
  readonly description?: string;
}

/** Every field `StatePermissionsPolicy` takes, and its JavaScript type: any other is refused. */
const PROPS_SHAPE = shape.object(
  {
    ...STATE_PERMISSIONS_FIELDS,
    // A name, a reference or a construct: checked by principalName.
    role: shape.optional(shape.any()),
    name: shape.optional(shape.string()),
    path: shape.optional(shape.string()),
    description: shape.optional(shape.string()),
  },
  { strict: true, example: STATE_PERMISSIONS_EXAMPLE },
);

/**
 * The state-access permissions as an IAM policy: inline on an existing role, or a managed policy.
 * The policy attribute is the canonical JSON as a literal string, so `cdk.tf.json` shows exactly what
 * is granted.
 */
export class StatePermissionsPolicy extends Construct {
  /** The policy document. */
  readonly document: PolicyDocument;
  /** The canonical JSON of the policy, as written into the resource. */
  readonly json: string;
  /** The managed policy, when no `role` was given. */
  readonly managedPolicy?: IamPolicy;
  /** The inline policy, when a `role` was given. */
  readonly rolePolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: StatePermissionsPolicyProps) {
    super(scope, id);
    throwIfAny(this.node.path, shapeFindings(props, PROPS_SHAPE, ''));
    const name = props.name ?? 'terraform-state-access';
    const inline = props.role !== undefined;
    const context = this.node.path;
    rejectTokens(context, props);
    const role = inline ? principalName('role', 'role', props.role) : { findings: [] };
    throwIfAny(context, [...role.findings, ...iamNameFindings('name', name, inline ? 'rolePolicy' : 'policy'), ...(inline ? [] : iamPathFindings('path', props.path))]);
    this.document = renderStatePolicy(props, {
      context,
      kind: inline ? 'role-inline' : 'managed',
      sizeFix: inline
        ? 'set allowFullBucketList to drop the s3:prefix list, cover keys with fewer wildcard patterns, or split the grants across roles'
        : `set allowFullBucketList to drop the s3:prefix list, or pass role to put it inline (up to ${POLICY_SIZE_LIMITS['role-inline'].limit} characters)`,
    });
    this.json = JSON.stringify(this.document);
    if (inline) {
      this.rolePolicy = new IamRolePolicy(this, 'policy', { name, role: role.name!, policy: this.json });
    } else {
      this.managedPolicy = new IamPolicy(this, 'policy', {
        name,
        ...(props.path !== undefined && { path: props.path }),
        ...(props.description !== undefined && { description: props.description }),
        policy: this.json,
      });
    }
    checkIamNameCollisions(this);
  }
}
