import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import type { PolicyDocument } from '../core/policy-document';
import { throwIfAny } from '../core/policy-error';
import type { PolicyDestination } from '../core/validate-policy';
import { stackOutput } from '../private/stack-output';

/** What every CI policy construct takes, after Gruntwork's iam-policies modules. */
export interface CiPolicyProps {
  /**
   * Name of the managed policy.
   * @default - the module's name, e.g. 'ecr-docker-push'
   */
  readonly name?: string;
  /**
   * Path of the managed policy.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Description of the managed policy.
   * @default - what the module grants, in one sentence
   */
  readonly description?: string;
  /**
   * Create the managed policy and its attachments. With `false` nothing is created, and the policy is
   * still checked and still output as `json` (Gruntwork's `create_resources`, since module-ci v0.16.5 and
   * v0.23.2).
   * @default true
   */
  readonly createResources?: boolean;
  /**
   * Names of roles to attach the policy to (`aws_iam_role_policy_attachment`). May be references.
   * @default []
   */
  readonly attachToRoles?: readonly string[];
  /**
   * Names of users to attach the policy to (`aws_iam_user_policy_attachment`).
   * @default []
   */
  readonly attachToUsers?: readonly string[];
  /**
   * Names of groups to attach the policy to (`aws_iam_group_policy_attachment`).
   * @default []
   */
  readonly attachToGroups?: readonly string[];
  /**
   * Put before the output names (`json`, `arn`, `name`), for a stack with more than one such policy.
   * @default ''
   */
  readonly outputPrefix?: string;
}

/** What a module passes to `CiPolicy`: its own defaults and how to build its document. */
export interface CiPolicyModule {
  readonly defaultName: string;
  readonly description: string;
  /** Builds and checks the module's document for `destination` (a managed policy under this construct). */
  readonly document: (destination: PolicyDestination) => PolicyDocument;
}

/**
 * A CI policy as a customer managed policy, attached where asked, with the outputs Gruntwork's modules
 * have (`json` always; `arn` and `name` when created). The modules' constructs extend this one.
 */
export class CiPolicy extends Construct {
  /** The policy document. */
  readonly document: PolicyDocument;
  /** Its canonical JSON, as written into the policy. */
  readonly json: string;
  /** The managed policy, unless `createResources` is false. */
  readonly policy?: IamPolicy;
  readonly jsonOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: CiPolicyProps, module: CiPolicyModule) {
    super(scope, id);
    const context = this.node.path;
    const name = props.name ?? module.defaultName;
    const attachTo = { roles: props.attachToRoles ?? [], users: props.attachToUsers ?? [], groups: props.attachToGroups ?? [] };
    throwIfAny(context, [
      ...iamNameFindings('name', name, 'policy'),
      ...iamPathFindings('path', props.path),
      ...(props.createResources === false && attachTo.roles.length + attachTo.users.length + attachTo.groups.length > 0
        ? [{ field: 'createResources', value: false, problem: 'nothing is created, so nothing can be attached', fix: 'remove the attachTo* lists, or create the policy' }]
        : []),
    ]);
    this.document = module.document({
      context,
      kind: 'managed',
      sizeFix: 'split the grants across two policies (each managed policy holds 6,144 characters)',
    });
    this.json = JSON.stringify(this.document);
    const prefix = props.outputPrefix ?? '';
    this.jsonOutput = stackOutput(this, `${prefix}json`, this.json, 'The policy document, as JSON.');
    if (props.createResources === false) return;

    const policy = new IamPolicy(this, 'policy', {
      name,
      description: props.description ?? module.description,
      ...(props.path !== undefined && { path: props.path }),
      policy: this.json,
    });
    this.policy = policy;
    attachTo.roles.forEach((role, i) => new IamRolePolicyAttachment(this, attachmentId('role', role, i), { role, policyArn: policy.arn }));
    attachTo.users.forEach((user, i) => new IamUserPolicyAttachment(this, attachmentId('user', user, i), { user, policyArn: policy.arn }));
    attachTo.groups.forEach((group, i) => new IamGroupPolicyAttachment(this, attachmentId('group', group, i), { group, policyArn: policy.arn }));
    stackOutput(this, `${prefix}arn`, policy.arn, 'The ARN of the policy.');
    stackOutput(this, `${prefix}name`, policy.name, 'The name of the policy.');
  }
}

/**
 * An attachment's construct id: the entity's name when it is written out, so that reordering the list
 * replaces nothing in Terraform; its position when it is a reference, which has no name yet.
 */
function attachmentId(kind: string, entity: string, index: number): string {
  return Token.isUnresolved(entity) ? `${kind}-${index}` : `${kind}-${entity}`;
}
