import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { shape, shapeFindings } from '../core/input-shape';
import type { PolicyDocument } from '../core/policy-document';
import { type AcknowledgeableFinding, type Finding, PolicyValidationError, throwIfAny } from '../core/policy-error';
import { checkIamNameCollisions } from '../private/name-collisions';
import { referenceKey } from '../private/references';
import { stackOutput } from '../private/stack-output';
import { type PolicyInput, policyInputFindings } from './document-input';
import { organizationsTargetFindings, serviceControlPolicy } from './scp';

/**
 * SCPs attached to one root, OU or account, by default: 10 since the quota change the core's
 * POLICY_SIZE_LIMITS notes (Organizations user guide, "Quotas and service limits for AWS Organizations",
 * "Maximum number of policies attached to a root, OU, or account"; earlier copies of that page say 5).
 * Pass `maxPoliciesPerTarget` for yours.
 */
export const DEFAULT_SCPS_PER_TARGET = 10;

export interface ServiceControlPolicyProps {
  /** Name of the policy (Organizations CreatePolicy `Name`: 1 to 128 characters). */
  readonly name: string;
  /**
   * Description (CreatePolicy `Description`: at most 512 characters).
   * @default - none
   */
  readonly description?: string;
  /** The SCP: a document, the props that render one, or the document's JSON text. Checked as a service control policy. */
  readonly document: PolicyInput;
  /**
   * Ids of the roots (`r-…`), OUs (`ou-…-…`) and accounts (12 digits) to attach it to; may be references.
   * @default [] - created, not attached
   */
  readonly targets?: readonly string[];
  /**
   * Findings accepted by name.
   * @default - none
   */
  readonly acknowledge?: readonly AcknowledgeableFinding[];
  /**
   * Size limit in characters as saved.
   * @default - `POLICY_SIZE_LIMITS['service-control'].limit`
   */
  readonly sizeLimit?: number;
  /**
   * SCPs a target may have attached.
   * @default DEFAULT_SCPS_PER_TARGET
   */
  readonly maxPoliciesPerTarget?: number;
  /**
   * SCPs attached to each target outside this stack: AWS attaches FullAWSAccess to every root, OU and
   * account, and it counts.
   * @default 1 - FullAWSAccess
   */
  readonly attachedOutsideStack?: number;
  /**
   * Write the Terraform outputs `<prefix>scp_id`, `<prefix>scp_arn` and `<prefix>scp_json`: `''` gives the
   * HCL module's names.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

/** Every field `ServiceControlPolicy` takes and its JavaScript type: any other is refused. */
const PROPS_SHAPE = shape.object(
  {
    name: shape.string(),
    description: shape.optional(shape.string()),
    // Checked by policyInputFindings: a document, its props, or its JSON text.
    document: shape.any(),
    targets: shape.optional(shape.list(shape.string())),
    acknowledge: shape.optional(shape.list(shape.any())),
    sizeLimit: shape.optional(shape.number()),
    maxPoliciesPerTarget: shape.optional(shape.number()),
    attachedOutsideStack: shape.optional(shape.number()),
    outputPrefix: shape.optional(shape.string()),
  },
  { strict: true, example: "{ name: 'deny-leaving', document: { Version: '2012-10-17', Statement: [...] }, targets: ['r-ab12'] }" },
);

/**
 * A service control policy (`aws_organizations_policy`, type SERVICE_CONTROL_POLICY, content the
 * canonical JSON) and its attachments (`aws_organizations_policy_attachment`).
 *
 * The per-target quota is checked over the ServiceControlPolicy constructs of this stack, plus
 * `attachedOutsideStack`: SCPs attached elsewhere (other stacks, the console) are invisible at synth.
 */
export class ServiceControlPolicy extends Construct {
  readonly document: PolicyDocument;
  readonly json: string;
  readonly policy: OrganizationsPolicy;
  readonly attachments: OrganizationsPolicyAttachment[];
  /** The targets, as given. */
  readonly targets: readonly string[];

  constructor(scope: Construct, id: string, props: ServiceControlPolicyProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, PROPS_SHAPE, ''));
    throwIfAny(context, policyInputFindings(props.document, 'document'));
    const targets = props.targets ?? [];
    this.targets = targets;
    const findings: Finding[] = [];
    if (typeof props.name !== 'string' || props.name.length < 1 || props.name.length > 128) {
      findings.push({ field: 'name', value: props.name, problem: 'an Organizations policy name is 1 to 128 characters', fix: 'shorten it, or give one' });
    }
    if (props.description !== undefined && props.description.length > 512) {
      findings.push({ field: 'description', value: props.description, problem: 'an Organizations policy description is at most 512 characters', fix: 'shorten it' });
    }
    const seen = new Map<string, number>();
    targets.forEach((target, i) => {
      if (Token.isUnresolved(target)) {
        if (targetKey(target) === undefined) {
          findings.push({
            field: `targets[${i}]`,
            value: target,
            problem: 'is a reference built from other values (a function call, say), which names no one resource, so its attachment could be keyed only by position',
            fix: "pass the id written out, or the target resource's id attribute",
          });
        } else {
          const first = seen.get(targetKey(target)!);
          if (first !== undefined) findings.push({ field: `targets[${i}]`, value: target, problem: `targets[${first}] refers to the same resource`, fix: 'list each target once' });
          else seen.set(targetKey(target)!, i);
        }
        return;
      }
      findings.push(...organizationsTargetFindings(`targets[${i}]`, target));
      const first = seen.get(target);
      if (first !== undefined) {
        findings.push({
          field: `targets[${i}]`,
          value: target,
          problem: `targets[${first}] is the same target: Organizations refuses a second attachment (DuplicatePolicyAttachmentException)`,
          fix: 'list each target once',
        });
      } else seen.set(target, i);
    });
    findings.push(
      ...this.quotaFindings(
        props,
        [...seen.keys()].filter((t) => !t.startsWith('(')),
      ),
    );
    throwIfAny(context, findings);
    try {
      this.document = serviceControlPolicy(props.document, {
        context,
        ...(props.sizeLimit !== undefined && { sizeLimit: props.sizeLimit }),
        ...(props.acknowledge !== undefined && { acknowledge: props.acknowledge }),
      });
    } catch (e) {
      // Report the document's fields as fields of the `document` prop.
      if (e instanceof PolicyValidationError)
        throw new PolicyValidationError(
          context,
          e.findings.map((f) => ({ ...f, field: `document.${f.field}` })),
        );
      throw e;
    }
    this.json = JSON.stringify(this.document);
    this.policy = new OrganizationsPolicy(this, 'policy', {
      name: props.name,
      type: 'SERVICE_CONTROL_POLICY',
      content: this.json,
      ...(props.description !== undefined && { description: props.description }),
    });
    // An organization keeps one policy of a name (IAM_NAME_COLLISION).
    checkIamNameCollisions(this);
    // Keyed by the target's id, or, for a reference, by the address of the resource it refers to (checked
    // above): removing or reordering targets detaches no other.
    this.attachments = targets.map((targetId) => new OrganizationsPolicyAttachment(this, `target-${targetKey(targetId)}`, { policyId: this.policy.id, targetId }));
    stackOutput(this, props.outputPrefix, 'scp_id', this.policy.id, 'The id of the service control policy.');
    stackOutput(this, props.outputPrefix, 'scp_arn', this.policy.arn, 'The ARN of the service control policy.');
    stackOutput(this, props.outputPrefix, 'scp_json', this.json, 'The service control policy, as JSON.');
  }

  private quotaFindings(props: ServiceControlPolicyProps, targets: readonly string[]): Finding[] {
    const max = props.maxPoliciesPerTarget ?? DEFAULT_SCPS_PER_TARGET;
    const outside = props.attachedOutsideStack ?? 1;
    const others = TerraformStack.of(this)
      .node.findAll()
      .filter((c): c is ServiceControlPolicy => c instanceof ServiceControlPolicy && c !== this);
    return targets.flatMap((target) => {
      const count = outside + 1 + others.filter((o) => o.targets.includes(target)).length;
      if (count <= max) return [];
      return [
        {
          field: 'targets',
          value: target,
          problem: `${count} SCPs would be attached to ${target} (${outside} outside this stack, ${count - outside} in it), over the ${max} a target may have`,
          fix: 'merge SCPs into fewer policies, attach some to a parent OU instead, or set maxPoliciesPerTarget if your quota differs',
        },
      ];
    });
  }
}

/** A target's key: its id written out, or the address of the resource a reference points to, in parentheses. */
function targetKey(target: string): string | undefined {
  return Token.isUnresolved(target) ? referenceKey(target) : target;
}
