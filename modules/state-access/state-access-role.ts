import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { canonicalPolicy, type PolicyDocument } from '../core/policy-document';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { policyFindings } from '../core/validate-policy';
import { stackOutput } from '../private/stack-output';
import type { StatePermissionsProps } from './state-permissions';
import { StatePermissionsPolicy } from './state-permissions-policy';

export interface StateAccessRoleProps extends StatePermissionsProps {
  /** Name of the role. */
  readonly name: string;
  /**
   * Path of the role.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Who may assume the role: a policy document, its JSON text, or a reference to one (an
   * `aws_iam_policy_document`'s `json`, say). Documents and JSON text are checked at synth and written
   * in canonical form; a reference is passed through as it is.
   */
  readonly trustPolicy: PolicyDocument | string;
  /**
   * Trust-policy findings you accept by name, e.g. `SERVICE_PRINCIPAL_UNSCOPED` for a service that
   * cannot send `aws:SourceAccount`.
   * @default - none
   */
  readonly trustPolicyAcknowledge?: readonly AcknowledgeableFinding[];
  /**
   * Put before the output names, for a stack with more than one role (`ci_` gives `ci_role_arn`).
   * @default '' - outputs `role_arn` and `role_name`, as the seed module's
   */
  readonly outputPrefix?: string;
}

/**
 * A role for Terraform state access (the seed module's root module): `aws_iam_role` with the trust policy,
 * the permissions inline as `terraform-state-access`, and the outputs `role_arn` and `role_name`.
 */
export class StateAccessRole extends Construct {
  readonly role: IamRole;
  readonly permissions: StatePermissionsPolicy;
  /** The trust policy as written into the role. */
  readonly trustPolicyJson: string;
  /** Output `role_arn` (after `outputPrefix`). */
  readonly roleArnOutput: TerraformOutput;
  /** Output `role_name` (after `outputPrefix`). */
  readonly roleNameOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: StateAccessRoleProps) {
    super(scope, id);
    const context = this.node.path;
    this.trustPolicyJson = trustPolicyJson(context, props);
    throwIfAny(context, [...iamNameFindings('name', props.name, 'role'), ...iamPathFindings('path', props.path)]);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      ...(props.path !== undefined && { path: props.path }),
      assumeRolePolicy: this.trustPolicyJson,
    });
    const { name: _name, path: _path, trustPolicy: _trust, trustPolicyAcknowledge: _ack, outputPrefix = '', ...permissions } = props;
    this.permissions = new StatePermissionsPolicy(this, 'permissions', { ...permissions, role: this.role.name });
    // The seed module's outputs under their own names, not cdktf's hashed ones, so `terraform output
    // role_arn` works as it does with the module.
    this.roleArnOutput = stackOutput(this, `${outputPrefix}role_arn`, this.role.arn, 'The ARN of the IAM role.');
    this.roleNameOutput = stackOutput(this, `${outputPrefix}role_name`, this.role.name, 'The name of the IAM role.');
  }

  get roleArn(): string {
    return this.role.arn;
  }

  get roleName(): string {
    return this.role.name;
  }
}

function trustPolicyJson(context: string, props: StateAccessRoleProps): string {
  const { trustPolicy } = props;
  if (typeof trustPolicy === 'string' && Token.isUnresolved(trustPolicy)) return trustPolicy;
  let parsed: unknown = trustPolicy;
  if (typeof trustPolicy === 'string') {
    try {
      parsed = JSON.parse(trustPolicy);
    } catch (e) {
      const finding: Finding = {
        field: 'trustPolicy',
        value: trustPolicy.slice(0, 80),
        problem: `is not JSON (${(e as Error).message})`,
        fix: 'pass the policy document, or its JSON text',
      };
      throwIfAny(context, [finding]);
    }
  }
  const doc = canonicalPolicy(parsed);
  const findings = policyFindings(doc, { kind: 'trust', acknowledge: props.trustPolicyAcknowledge ?? [] });
  throwIfAny(
    context,
    findings.map((f) => ({ ...f, field: `trustPolicy.${f.field}` })),
  );
  return JSON.stringify(doc);
}
