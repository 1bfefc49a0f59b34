import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { shape, shapeFindings } from '../core/input-shape';
import type { PolicyDocument } from '../core/policy-document';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { policyFindings } from '../core/validate-policy';
import { checkIamNameCollisions } from '../private/name-collisions';
import { stackOutput } from '../private/stack-output';
import { canonicalInput, type PolicyInput, policyInputFindings } from './document-input';
import { boundaryArnOf, type IPermissionsBoundary, permissionsBoundaryArnFindings } from './managed-policy-arn';

export interface PermissionsBoundaryProps {
  /** Name of the managed policy. */
  readonly name: string;
  /**
   * Path of the managed policy.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /** The boundary: a document, the props that render one, or the document's JSON text. Checked as a customer managed policy. */
  readonly document: PolicyInput;
  /**
   * Findings accepted by name: typically `WILDCARD_RESOURCE`, since a boundary is a ceiling on actions.
   * @default - none
   */
  readonly acknowledge?: readonly AcknowledgeableFinding[];
  /**
   * Write the Terraform outputs `<prefix>boundary_arn` and `<prefix>boundary_json`: `''` gives the HCL
   * module's names.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

/** Every field `PermissionsBoundary` takes and its JavaScript type: any other is refused. */
const PROPS_SHAPE = shape.object(
  {
    name: shape.string(),
    path: shape.optional(shape.string()),
    description: shape.optional(shape.string()),
    // Checked by policyInputFindings: a document, its props, or its JSON text.
    document: shape.any(),
    acknowledge: shape.optional(shape.list(shape.any())),
    outputPrefix: shape.optional(shape.string()),
  },
  { strict: true, example: "{ name: 'boundary', document: { Version: '2012-10-17', Statement: [...] } }" },
);

/**
 * A customer managed policy (`aws_iam_policy`) used as a permissions boundary. Pass it where a boundary
 * is taken (`IPermissionsBoundary`, `Role`'s `permissionsBoundary`), or where a managed policy is.
 */
export class PermissionsBoundary extends Construct implements IPermissionsBoundary {
  readonly document: PolicyDocument;
  readonly json: string;
  readonly policy: IamPolicy;
  /** The ARN of the managed policy (a reference). */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, PROPS_SHAPE, ''));
    throwIfAny(context, policyInputFindings(props.document, 'document'));
    const document = canonicalInput(props.document);
    throwIfAny(context, [
      ...iamNameFindings('name', props.name, 'policy'),
      ...iamPathFindings('path', props.path),
      ...policyFindings(document, {
        kind: 'managed',
        ...(props.acknowledge !== undefined && { acknowledge: props.acknowledge }),
        sizeFix: 'a boundary is one managed policy of at most 6,144 characters: list actions with reviewed wildcards',
      }).map((f) => ({ ...f, field: `document.${f.field}` })),
    ]);
    this.document = document;
    this.json = JSON.stringify(document);
    this.policy = new IamPolicy(this, 'policy', {
      name: props.name,
      ...(props.path !== undefined && { path: props.path }),
      ...(props.description !== undefined && { description: props.description }),
      policy: this.json,
    });
    this.arn = this.policy.arn;
    stackOutput(this, props.outputPrefix, 'boundary_arn', this.policy.arn, 'The ARN of the permissions boundary policy.');
    stackOutput(this, props.outputPrefix, 'boundary_json', this.json, 'The permissions boundary, as JSON.');
    checkIamNameCollisions(this);
  }
}

/**
 * Findings for a boundary given as an `IPermissionsBoundary` or an ARN string: a literal ARN must be a
 * managed policy's; a reference is passed through (checked at apply time by IAM).
 */
export function permissionsBoundaryFindings(field: string, boundary: IPermissionsBoundary | string): Finding[] {
  const arn = boundaryArnOf(boundary);
  return Token.isUnresolved(arn) ? [] : permissionsBoundaryArnFindings(field, arn);
}

/** The ARN of `boundary`, throwing (naming `context`) when a literal ARN is not a managed policy's. */
export function permissionsBoundaryArn(context: string, field: string, boundary: IPermissionsBoundary | string): string {
  throwIfAny(context, permissionsBoundaryFindings(field, boundary));
  return boundaryArnOf(boundary);
}
