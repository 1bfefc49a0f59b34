import type { Construct } from 'constructs';
import { iamNameFindings } from '../core/iam-names';
import { shape, shapeFindings } from '../core/input-shape';
import type { PolicyDocument } from '../core/policy-document';
import { throwIfAny } from '../core/policy-error';
import type { ManagedPolicyReference } from '../private/references';
import { DeployGroup, GROUP_FIELDS, type GroupUser } from './deploy-group';
import { JETS_DEPLOY_FIELDS, jetsDeployAcknowledged, type JetsDeployPolicyProps, renderJetsDeployPolicy } from './jets-deploy-policy';

export interface JetsDeployGroupProps extends JetsDeployPolicyProps {
  /**
   * Name of the group.
   * @default 'Jets' - the seed's
   */
  readonly name?: string;
  /**
   * Path of the group.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Name of the inline policy.
   * @default 'JetsPolicy' - the seed's
   */
  readonly policyName?: string;
  /**
   * Users to create and add to the group. An explicit empty list is refused.
   * @default - no users: the group alone
   */
  readonly users?: readonly (string | GroupUser)[];
  /**
   * Managed policies to attach, by ARN (e.g. the seed's `arn:aws:iam::aws:policy/service-role/AWS_ConfigRole`
   * for an application that uses AWS Config rules) or the construct that creates them: `DeployGroup`'s
   * `managedPolicyArns`.
   * @default [] - none
   */
  readonly managedPolicyArns?: readonly ManagedPolicyReference[];
  /**
   * When the jets-deploy policy is over the group inline limit (5,120 characters: a long prefix and a long
   * `passRoleToServices` list can take it there), keep the statements that fit inline, in order, and move
   * the others to customer managed policies `<name>-2`, `<name>-3`, … at the group's path, attached to the
   * group: `DeployGroup`'s `overflowToManagedPolicies`. With `managedPolicyArns` they must stay within the
   * 10 managed policies a group may have attached.
   * @default false - such a group fails at synth
   */
  readonly overflowToManagedPolicies?: boolean;
  /**
   * Write the Terraform outputs `<prefix>group_name`, `<prefix>group_arn` and (with users) `<prefix>user_names`.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

/** Every field `JetsDeployGroup` takes and its JavaScript type: any other is refused. */
const PROPS_SHAPE = shape.object(
  { ...JETS_DEPLOY_FIELDS, ...GROUP_FIELDS, name: shape.optional(shape.string()), policyName: shape.optional(shape.string()) },
  { strict: true, example: "{ prefix: 'my-cool-prefix', users: ['tung'] }" },
);

/**
 * The seed's `Jets` group: `DeployGroup` with the jets-deploy policy inline (as the seed's
 * `put-group-policy`). Bad input, the prefix included, fails at synth naming this construct's path.
 */
export class JetsDeployGroup extends DeployGroup {
  /** The jets-deploy policy. */
  readonly document: PolicyDocument;
  /**
   * Its canonical JSON, as written into the `aws_iam_group_policy`: with `overflowToManagedPolicies` used,
   * the statements kept inline only (the others are in `overflowPolicies`).
   */
  readonly json: string;

  constructor(scope: Construct, id: string, props: JetsDeployGroupProps) {
    // Checked before the group is built, under the path this construct is about to have.
    const context = scope.node.path === '' ? id : `${scope.node.path}/${id}`;
    throwIfAny(context, shapeFindings(props, PROPS_SHAPE, ''));
    const policyName = props.policyName ?? 'JetsPolicy';
    throwIfAny(context, iamNameFindings('policyName', policyName, 'rolePolicy'));
    // With the overflow, the group fits the policy to its limit (DeployGroup), so its size is not checked here.
    const overflow = props.overflowToManagedPolicies === true;
    const document = renderJetsDeployPolicy(props, context, 'group-inline', overflow ? Infinity : undefined);
    super(scope, id, {
      name: props.name ?? 'Jets',
      ...(props.path !== undefined && { path: props.path }),
      inlinePolicies: [{ name: policyName, document, acknowledge: jetsDeployAcknowledged(props) }],
      ...(props.managedPolicyArns !== undefined && { managedPolicyArns: props.managedPolicyArns }),
      ...(props.users !== undefined && { users: props.users }),
      ...(props.outputPrefix !== undefined && { outputPrefix: props.outputPrefix }),
      ...(overflow && { overflowToManagedPolicies: true }),
    });
    this.document = document;
    this.json = this.inlinePolicyJson[policyName];
  }
}
