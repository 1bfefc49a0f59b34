// Crafted synthesized stacks for the review tests: cdk.tf.json objects written by hand, as cdktf writes them.
import type { PolicyDocument, PolicyStatement } from '../../../modules/core';
import { diffReview, type PermissionDiff, permissionDiff, readStack, readSynthesizedStacks, type StackIam } from '../../../modules/review';

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

/** Reads the stacks of one app together, as the CLI does, each given as its cdk.tf.json object. */
export function readApp(stacks: Record<string, unknown>): StackIam[] {
  return readSynthesizedStacks(
    Object.entries(stacks).map(([stack, json]) => ({ stack, text: JSON.stringify(json), file: `cdktf.out/stacks/${stack}/cdk.tf.json` })),
    'test',
  );
}

/** The diff of one crafted stack (or app, by stack name) from `before` to `after`, each read as the CLI reads it. */
export function diffOf(before: unknown, after: unknown): PermissionDiff {
  const app = (json: unknown) => (json === undefined ? [] : readApp(isApp(json) ? json.stacks : { crafted: json }));
  return permissionDiff(app(before), app(after));
}

/** Several stacks of one app, for `diffOf`. */
export function app(stacks: Record<string, unknown>): { stacks: Record<string, unknown> } {
  return { stacks };
}

function isApp(json: unknown): json is { stacks: Record<string, unknown> } {
  return typeof json === 'object' && json !== null && 'stacks' in json && Object.keys(json).length === 1;
}

/** The exit code `least-privilege-iam diff` gives for a diff: 1 when it widens, else 0. */
export function exitCodeOf(diff: PermissionDiff): 0 | 1 {
  return diffReview(diff, { before: 'main', after: 'the working tree' }).exitCode;
}

/** Each change of a diff as one line: `WIDENS|narrows <subject id>: <what>`. */
export function diffLines(diff: PermissionDiff): string[] {
  return diff.stacks.flatMap((s) =>
    s.subjects.flatMap((subject) => [
      ...subject.grants.map((g) => `${g.widens ? 'WIDENS' : 'narrows'} ${subject.id}: ${g.change} ${g.part} ${g.grant.effect} ${g.grant.action.id} (${g.why})`),
      ...subject.other.map((o) => `${o.widens ? 'WIDENS' : 'narrows'} ${subject.id}: ${o.description}`),
    ]),
  );
}
