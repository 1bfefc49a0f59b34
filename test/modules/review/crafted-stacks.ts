// Crafted synthesized stacks for the review tests: cdk.tf.json objects written by hand, as cdktf writes them.
import type { PolicyDocument, PolicyStatement } from '../../../modules/core';
import { readStack, type StackIam } from '../../../modules/review';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A `cdk.tf.json` with the default AWS provider and `resources`. */
export function stackJson(resources: Resources, providers: Record<string, unknown>[] = [{ region: 'eu-west-1' }]): Record<string, unknown> {
  return { provider: { aws: providers }, resource: resources, terraform: { required_providers: { aws: { source: 'aws', version: '21.22.1' } } } };
}

/** A document of `statements`. */
export function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export const ACCOUNT_TRUST = doc({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' } });

export interface RoleParts {
  readonly name?: string;
  readonly trust?: PolicyDocument;
  readonly inline?: readonly PolicyDocument[];
  readonly managed?: readonly PolicyDocument[];
  readonly awsManaged?: readonly string[];
  readonly boundary?: PolicyDocument;
}

/** The resources of one role with its policies, as the Role construct writes them. */
export function roleResources(parts: RoleParts): Resources {
  const name = parts.name ?? 'app';
  const role = `role_${name}`;
  const resources: Resources = {
    aws_iam_role: {
      [role]: {
        name,
        assume_role_policy: JSON.stringify(parts.trust ?? ACCOUNT_TRUST),
        ...(parts.boundary !== undefined && { permissions_boundary: `\${aws_iam_policy.boundary_${name}.arn}` }),
      },
    },
    aws_iam_role_policy: {},
    aws_iam_policy: {},
    aws_iam_role_policy_attachment: {},
  };
  (parts.inline ?? []).forEach((d, i) => {
    resources.aws_iam_role_policy[`${role}_inline_${i}`] = { name: `inline-${i}`, role: `\${aws_iam_role.${role}.name}`, policy: JSON.stringify(d) };
  });
  (parts.managed ?? []).forEach((d, i) => {
    resources.aws_iam_policy[`managed_${name}_${i}`] = { name: `${name}-managed-${i}`, policy: JSON.stringify(d) };
    resources.aws_iam_role_policy_attachment[`${role}_attach_${i}`] = { role: `\${aws_iam_role.${role}.name}`, policy_arn: `\${aws_iam_policy.managed_${name}_${i}.arn}` };
  });
  (parts.awsManaged ?? []).forEach((arn, i) => {
    resources.aws_iam_role_policy_attachment[`${role}_aws_${i}`] = { role: `\${aws_iam_role.${role}.name}`, policy_arn: arn };
  });
  if (parts.boundary !== undefined) resources.aws_iam_policy[`boundary_${name}`] = { name: `${name}-boundary`, policy: JSON.stringify(parts.boundary) };
  for (const type of Object.keys(resources)) if (Object.keys(resources[type]).length === 0) delete resources[type];
  return resources;
}

/** A stack of one role, read. */
export function roleStack(parts: RoleParts, stack = 'crafted'): StackIam {
  return readStack(stack, stackJson(roleResources(parts)), 'test');
}

/** Reads a crafted stack. */
export function read(json: unknown, stack = 'crafted'): StackIam {
  return readStack(stack, json, 'test');
}
