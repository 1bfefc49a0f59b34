// The escalation paths in the access report (JSON, Markdown) and in the permission diff (text, Markdown,
// JSON, verdict), on stacks read from hand-written cdk.tf.json, for every path of the catalogue.
import type { PolicyDocument } from '../../../../modules/core';
import {
  accessReport,
  diffReview,
  ESCALATION_PATHS,
  GITHUB_COMMENT_MAX_LENGTH,
  permissionDiff,
  readStack,
  renderDiff,
  renderDiffMarkdown,
  renderReport,
  reportEscalationLines,
  type StackIam,
  type SubjectReport,
} from '../../../../modules/review';
import { pathCase } from './path-cases';
import { ACCOUNT } from './simulate';

const SIDES = { before: 'main (1234567)', after: 'the working tree' };
const SOURCE = { stacksDir: 'stacks', command: 'npm run report', jsonFile: 'access-report.json' };
const TRUST: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }] };
const NOTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] };

/**
 * A stack with the principal `escalator` (a role, or a user in group `own-group`) holding `policy` as the
 * customer managed policy `escalator-policy` (the policy a CreatePolicyVersion path rewrites).
 */
function stackOf(kind: 'role' | 'user', policy: PolicyDocument, options: { path?: string; stack?: string } = {}): StackIam {
  const principal =
    kind === 'role'
      ? {
          aws_iam_role: { escalator: { name: 'escalator', assume_role_policy: JSON.stringify(TRUST), ...(options.path !== undefined && { path: options.path }) } },
          aws_iam_role_policy_attachment: { attach: { role: '${aws_iam_role.escalator.name}', policy_arn: '${aws_iam_policy.escalator.arn}' } },
        }
      : {
          aws_iam_user: { escalator: { name: 'escalator', ...(options.path !== undefined && { path: options.path }) } },
          aws_iam_group: { own: { name: 'own-group' } },
          aws_iam_user_group_membership: { membership: { user: '${aws_iam_user.escalator.name}', groups: ['${aws_iam_group.own.name}'] } },
          aws_iam_user_policy_attachment: { attach: { user: '${aws_iam_user.escalator.name}', policy_arn: '${aws_iam_policy.escalator.arn}' } },
        };
  const json = {
    provider: { aws: [{ region: 'us-east-1', allowed_account_ids: [ACCOUNT] }] },
    // `$${` is Terraform's escape for a policy variable's `${`.
    resource: { ...principal, aws_iam_policy: { escalator: { name: 'escalator-policy', policy: JSON.stringify(policy).replace(/\$\{/g, '$$${') } } },
    terraform: { required_providers: { aws: { source: 'aws', version: '21.22.1' } } },
  };
  return readStack(options.stack ?? 'crafted', json, 'test');
}

function principalOf(report: ReturnType<typeof accessReport>, kind: 'role' | 'user'): SubjectReport {
  return report.stacks[0].subjects.find((s) => s.kind === kind && s.name === 'escalator')!;
}

describe.each(ESCALATION_PATHS.map((p) => [p.id, pathCase(p)] as const))('escalation path %s in the report and the diff', (id, c) => {
  const actions = [...new Set(c.path.requires.map((r) => r.action))].join(' + ');

  it('the report names the principal, with the grants that complete the path', () => {
    const report = accessReport([stackOf(c.kind, c.completing)]);
    const subject = principalOf(report, c.kind);
    expect(subject.flags).toContain('ESCALATION_PATH');
    const finding = subject.escalationPaths?.find((f) => f.id === id);
    expect(finding?.via.map((s) => [s.action, s.resource])).toEqual(c.requests.map((r) => [r.action, r.resource]));
    expect(reportEscalationLines(report)).toContain(`crafted: ESCALATION PATH ${id}: ${c.kind} escalator via ${actions}`);
    expect(renderReport(report, SOURCE)).toContain(`| \`crafted\` | ${c.kind} escalator | \`${id}\`: ${c.path.title} |`);
  });

  it(`the diff prints NEW ESCALATION PATH ${id} when a change completes it, and widens`, () => {
    const diff = permissionDiff([stackOf(c.kind, NOTHING)], [stackOf(c.kind, c.completing)]);
    const line = `NEW ESCALATION PATH ${id}: ${c.kind} escalator via ${actions}`;
    expect(renderDiff(diff, SIDES)).toContain(`WIDENS * ${line}\n`);
    const review = diffReview(diff, SIDES);
    expect(review.exitCode).toBe(1);
    expect(review.escalations).toContainEqual(expect.objectContaining({ stack: 'crafted', kind: c.kind, name: 'escalator', id, line }));
    // A change that leaves the path as it was opens nothing.
    const same = permissionDiff([stackOf(c.kind, c.completing)], [stackOf(c.kind, { ...c.completing, Statement: [...c.completing.Statement].reverse() })]);
    expect(diffReview(same, SIDES).escalations ?? []).toEqual([]);
  });
});

describe('escalation paths: how the report and the diff show them', () => {
  const putOwnRole: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Own', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: `arn:aws:iam::${ACCOUNT}:role/app/*` }],
  };

  it('a principal with no path has no escalationPaths in the JSON and no ESCALATION_PATH flag', () => {
    const report = accessReport([stackOf('role', NOTHING)]);
    const subject = principalOf(report, 'role');
    expect(subject.escalationPaths).toBeUndefined();
    expect(subject.flags).not.toContain('ESCALATION_PATH');
    expect(renderReport(report, SOURCE)).not.toContain('Privilege-escalation paths');
  });

  it("the report's Markdown: a summary table and each subject's section, with where each grant comes from", () => {
    const md = renderReport(accessReport([stackOf('role', putOwnRole, { path: '/app/' })]), SOURCE);
    expect(md).toContain('### Privilege-escalation paths\n');
    expect(md).toContain('| `crafted` | role escalator | `iam-005`: Write an inline policy into its own role | `iam:PutRolePolicy` |');
    expect(md).toContain('#### Privilege-escalation paths\n');
    expect(md).toContain(`| \`iam-005\` | Write an inline policy into its own role | \`iam:PutRolePolicy\` on \`arn:aws:iam::${ACCOUNT}:role/app/*\` (managed escalator-policy (Own)) |`);
    expect(md).toContain('| `ESCALATION_PATH` | 1 |');
  });

  it('a role moved under the path its grant names opens iam-005 without any grant changing', () => {
    const diff = permissionDiff([stackOf('role', putOwnRole)], [stackOf('role', putOwnRole, { path: '/app/' })]);
    expect(renderDiff(diff, SIDES)).toContain('WIDENS * NEW ESCALATION PATH iam-005: role escalator via iam:PutRolePolicy\n');
    expect(diff.widens).toBe(true);
    // Moved back out: nothing opens (a path closed is no widening).
    const back = permissionDiff([stackOf('role', putOwnRole, { path: '/app/' })], [stackOf('role', putOwnRole)]);
    expect(diffReview(back, SIDES).escalations).toBeUndefined();
  });

  it("the diff's Markdown lists the new paths in its summary, and its JSON under escalations, with the grants", () => {
    const diff = permissionDiff([stackOf('role', NOTHING, { path: '/app/' })], [stackOf('role', putOwnRole, { path: '/app/' })]);
    const md = renderDiffMarkdown(diff, SIDES);
    const at = [
      '**Widened:**',
      '**New privilege-escalation paths:**',
      '- `crafted`: `NEW ESCALATION PATH iam-005: role escalator via iam:PutRolePolicy`: Write an inline policy into its own role',
      '### Changes',
    ].map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(diffReview(diff, SIDES).escalations).toEqual([
      {
        stack: 'crafted',
        kind: 'role',
        name: 'escalator',
        id: 'iam-005',
        title: 'Write an inline policy into its own role',
        line: 'NEW ESCALATION PATH iam-005: role escalator via iam:PutRolePolicy',
        via: [{ action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/app/*`, policy: 'managed escalator-policy (Own)', conditions: [] }],
      },
    ]);
  });

  it('many new paths: the comment is cut to fit, the new paths last of all', () => {
    const everyStep = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow' as const, Action: [...new Set(ESCALATION_PATHS.flatMap((p) => p.requires.map((r) => r.action)))], Resource: '*' }],
    };
    const stacks = Array.from({ length: 150 }, (_, i) => stackOf('role', everyStep, { stack: `s${String(i).padStart(3, '0')}` }));
    const diff = permissionDiff([], stacks);
    expect(diffReview(diff, SIDES).escalations!.length).toBe(150 * 61);
    const md = renderDiffMarkdown(diff, SIDES, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText: '`permission-diff.md`' });
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(md).toContain('**New privilege-escalation paths:**');
    // The longest lines go first among equals: the shortest paths stay.
    expect(md).toContain('- `s000`: `NEW ESCALATION PATH sts-001: role escalator via sts:AssumeRole`: Assume another role');
    expect(md).toContain('new escalation paths');
  });

  it('a new principal that completes a path is a new escalation path; a removed one opens nothing', () => {
    const added = permissionDiff(
      [],
      [stackOf('user', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }] })],
    );
    expect(renderDiff(added, SIDES)).toContain('WIDENS * NEW ESCALATION PATH iam-008: user escalator via iam:AttachUserPolicy\n');
    const removed = permissionDiff([stackOf('role', putOwnRole, { path: '/app/' })], []);
    expect(diffReview(removed, SIDES).escalations).toBeUndefined();
  });
});
