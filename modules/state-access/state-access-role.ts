import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { ITerraformDependable, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { acknowledgementFindings, type AcknowledgedFinding } from '../core/acknowledgements';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { shape, shapeFindings } from '../core/input-shape';
import { type Acknowledgement, throwIfAny } from '../core/policy-error';
import { recordAdmission } from '../private/acknowledgements';
import { stackOutput } from '../private/stack-output';
import { TRUST_POLICY_INPUT_FIELDS, type TrustPolicyInput, trustPolicyInput } from '../private/trust-policy-input';
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
   * Who may assume the role: the principals (`TrustPolicyProps`, as `trustPolicy` builds them: accounts,
   * roles, services, CI presets), a policy document, its JSON text, or a reference to one (an
   * `aws_iam_policy_document`'s `json`, say). All but a reference are checked at synth, who they admit
   * included, and written in canonical form; a reference is passed through as it is.
   */
  readonly trustPolicy: TrustPolicyInput;
  /**
   * Trust-policy findings you accept: by rule id (`SERVICE_PRINCIPAL_UNSCOPED` for a service that cannot
   * send `aws:SourceAccount`), or, for the who-gets-in rules, with a reason, e.g.
   * `{ rule: 'CROSS_ACCOUNT', reason: 'the CI account runs terraform' }`, written next to the role for the
   * access report.
   * @default - none
   */
  readonly trustPolicyAcknowledge?: readonly Acknowledgement[];
  /**
   * The 12-digit ID of the account the role is created in: trust in principals of other accounts is a
   * `CROSS_ACCOUNT` finding.
   * @default - not known: every principal named by account is a `CROSS_ACCOUNT` finding
   */
  readonly account?: string;
  /**
   * Resources the role is created after: the `OidcProvider` its trust policy names (IAM refuses a trust
   * policy naming a federated provider that does not exist yet).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Put before the output names, for a stack with more than one role (`ci_` gives `ci_role_arn`).
   * @default '' - outputs `role_arn` and `role_name`, as the seed module's
   */
  readonly outputPrefix?: string;
}

/** The JavaScript types of the role's own fields (the permissions' are checked by `statePermissionsPolicy`). */
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
 * A role for Terraform state access (the seed module's root module): `aws_iam_role` with the trust policy,
 * the permissions inline as `terraform-state-access`, and the outputs `role_arn` and `role_name`.
 */
export class StateAccessRole extends Construct {
  readonly role: IamRole;
  readonly permissions: StatePermissionsPolicy;
  /** The trust policy as written into the role. */
  readonly trustPolicyJson: string;
  /** The trust-policy findings accepted, as written next to the role. */
  readonly trustPolicyAcknowledged: readonly AcknowledgedFinding[];
  /** Output `role_arn` (after `outputPrefix`). */
  readonly roleArnOutput: TerraformOutput;
  /** Output `role_name` (after `outputPrefix`). */
  readonly roleNameOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: StateAccessRoleProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, ROLE_FIELDS_SHAPE, ''));
    const trust = trustPolicyInput(props.trustPolicy, { acknowledge: props.trustPolicyAcknowledge ?? [], ...(props.account !== undefined && { account: props.account }) });
    throwIfAny(context, [
      ...acknowledgementFindings('trustPolicyAcknowledge', props.trustPolicyAcknowledge),
      ...trust.findings,
      ...iamNameFindings('name', props.name, 'role'),
      ...iamPathFindings('path', props.path),
    ]);
    this.trustPolicyJson = trust.json;
    this.trustPolicyAcknowledged = trust.acknowledged;
    this.role = new IamRole(this, 'role', {
      name: props.name,
      ...(props.path !== undefined && { path: props.path }),
      assumeRolePolicy: this.trustPolicyJson,
      ...(props.dependsOn !== undefined && { dependsOn: [...props.dependsOn] }),
    });
    recordAdmission(this.role, { ...(trust.account !== undefined && { account: trust.account }), acknowledged: trust.acknowledged });
    const { name: _name, path: _path, trustPolicy: _trust, trustPolicyAcknowledge: _ack, account: _account, dependsOn: _dependsOn, outputPrefix = '', ...permissions } = props;
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

