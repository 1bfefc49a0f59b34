// The review at scale, and on values of the wrong shape (issue 15, item 6): a `*` policy on six resources
// (about 132,000 grants) used to kill the report and the diff with "Maximum call stack size exceeded", and
// malformed or deeply nested values gave raw TypeErrors. Nothing here is timed: `npm run bench` measures a
// million grants against its targets (bench/scale-review.ts).
import { PolicyValidationError, type PolicyDocument, type PolicyStatement } from '../../../modules/core';
import { allActions } from '../../../modules/review/private/action-catalog';
import {
  type AccessReport,
  accessReport,
  diffJson,
  documentGrants,
  type GrantRow,
  GITHUB_COMMENT_MAX_LENGTH,
  permissionDiff,
  renderDiff,
  renderDiffMarkdown,
  renderReport,
  reportJson,
  type StackIam,
  subjectGrants,
} from '../../../modules/review';
import { doc, roleStack } from './crafted-stacks';

jest.setTimeout(300_000);

const SIX = ['data', 'logs', 'backups', 'media', 'exports', 'archive'].map((bucket) => `arn:aws:s3:::${bucket}/*`);
const everything = (resources: readonly string[]) => doc({ Sid: 'Everything', Action: '*', Effect: 'Allow', Resource: [...resources] });
const source = { stacksDir: 'stacks', command: 'npm run report', jsonFile: 'access-report.json' };
const sides = { before: 'main', after: 'the working tree' };
const limit = { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText: '`permission-diff.md`' };

describe('a `*` policy on six resources: about 132,000 grants', () => {
  const before = roleStack({ inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: SIX })] });
  const after = roleStack({ inline: [everything(SIX)] });

  it('is that many grants', () => {
    const grants = subjectGrants(after.subjects.find((s) => s.kind === 'role')!).permissions.length;
    expect(grants).toBeGreaterThanOrEqual(6 * allActions().length);
    expect(grants).toBeGreaterThan(130_000);
  });

  it('the report: one `*` row on the six resources, flagged, in Markdown and JSON', () => {
    const report = accessReport([after]);
    const role = report.stacks[0].subjects.find((s) => s.kind === 'role')!;
    const star = role.permissions.find((r) => r.service === '*')!;
    expect(star).toMatchObject({ effect: 'Allow', allActions: true, resources: [...SIX].sort(), policies: ['inline inline-0 (Everything)'] });
    expect(star.flags).toContain('ANY_ACTION');
    expect(role.flags).toContain('ANY_ACTION');
    const markdown = renderReport(report, source);
    expect(markdown).toContain('every action');
    expect(renderReport(report, source, limit).length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(JSON.parse(reportJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('with AWS managed AdministratorAccess and ReadOnlyAccess attached too: the report and the diff of them', () => {
    const managed = roleStack({ inline: [everything(SIX)], awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    const role = accessReport([managed]).stacks[0].subjects.find((s) => s.kind === 'role')!;
    expect(role.permissions.some((r) => r.service === '*' && r.resources.includes('*') && r.policies.some((p) => p.includes('AdministratorAccess')))).toBe(true);
    const diff = permissionDiff([after], [managed]);
    const changed = diff.stacks[0].subjects.find((s) => s.kind === 'role')!;
    // Every action on `*` is new; the six resources' grants stay (covered by their own keys).
    expect(changed.grants.filter((g) => g.change === 'added').length).toBeGreaterThanOrEqual(allActions().length);
    expect(changed.grants.some((g) => g.change === 'removed')).toBe(false);
    expect(renderDiff(diff, sides)).toContain('WIDENS + Allow every action');
  });

  it('the diff: every action added on the six resources widens, in text, Markdown and JSON', () => {
    const diff = permissionDiff([before], [after]);
    expect(diff.widens).toBe(true);
    const role = diff.stacks[0].subjects.find((s) => s.kind === 'role')!;
    expect(role.grants.filter((g) => g.change === 'added').length).toBeGreaterThan(130_000);
    expect(role.grants.some((g) => g.change === 'removed')).toBe(false);
    const text = renderDiff(diff, sides);
    expect(text).toMatch(/WIDENS \+ Allow every action except .*\(new action\)/);
    expect(renderDiffMarkdown(diff, sides, limit).length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(JSON.parse(diffJson(diff, sides))).toMatchObject({ verdict: 'widens', exitCode: 1 });
  });

  it('the diff of every resource widened (no grant covered by its key) and of the stack against itself', () => {
    const widened = roleStack({ inline: [everything(SIX.map((r) => r.replace('/*', '*')))] });
    const diff = permissionDiff([after], [widened]);
    const role = diff.stacks[0].subjects.find((s) => s.kind === 'role')!;
    const added = role.grants.filter((g) => g.change === 'added');
    expect(added.length).toBeGreaterThan(130_000);
    expect(new Set(added.map((g) => g.why))).toEqual(new Set(['more resources']));
    // The old grants are all inside the widened ones: nothing is removed.
    expect(role.grants.filter((g) => g.change === 'removed')).toEqual([]);
    expect(renderDiff(diff, sides)).toContain('WIDENS + Allow every action');
    // Narrowed back: every grant removed, none widens.
    const back = permissionDiff([widened], [after]);
    expect(back.widens).toBe(false);
    expect(back.stacks[0].subjects.find((s) => s.kind === 'role')!.grants.every((g) => g.change === 'removed' && g.why === 'fewer resources')).toBe(true);
    expect(permissionDiff([after], [after]).stacks).toEqual([]);
  });
});

describe('values of the wrong shape: a named error, never a TypeError or a stack overflow', () => {
  const identity = { policy: 'inline p', resourceless: 'any' as const };
  /** A list nested `depth` deep around `inner`, built without recursion. */
  const nested = (depth: number, inner: unknown = 'arn:aws:s3:::b/*'): unknown => {
    let value: unknown = inner;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const statement = (extra: Record<string, unknown>) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }) as unknown as PolicyStatement;
  const failure = (document: unknown): PolicyValidationError => {
    try {
      documentGrants(document as PolicyDocument, identity);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyValidationError);
      return e as PolicyValidationError;
    }
    throw new Error('documentGrants did not fail');
  };

  it.each([
    ['a Resource nested 200,000 lists deep', doc(statement({ Resource: nested(200_000) })), 'Statement[0].Resource[0]'],
    ['a NotAction nested deep', doc(statement({ Action: undefined, NotAction: [nested(200_000, 'iam:*')] })), 'Statement[0].NotAction[0]'],
    [
      'a condition value nested deep',
      doc(statement({ Condition: { StringEquals: { 'aws:RequestedRegion': nested(200_000, 'eu-west-1') } } })),
      'Statement[0].Condition.StringEquals.aws:RequestedRegion[0]',
    ],
    [
      'a condition value that is an object',
      doc(statement({ Condition: { StringEquals: { 'aws:RequestedRegion': { deep: nested(1_000) } } } })),
      'Statement[0].Condition.StringEquals.aws:RequestedRegion',
    ],
    ['a null Condition', doc(statement({ Condition: null })), 'Statement[0].Condition'],
    ['a null operator block', doc(statement({ Condition: { StringEquals: null } })), 'Statement[0].Condition.StringEquals'],
    ['a null statement', { Version: '2012-10-17', Statement: [null] }, 'Statement[0]'],
    ['a statement that is a list', { Version: '2012-10-17', Statement: [nested(100_000, {})] }, 'Statement[0]'],
    ['no Statement', { Version: '2012-10-17' }, 'Statement'],
    ['a null document', null, '(document)'],
    ['an Action that is an object', doc(statement({ Action: { s3: 'GetObject' } })), 'Statement[0].Action'],
    ['a null in a Resource list', doc(statement({ Resource: ['arn:aws:s3:::b', null] })), 'Statement[0].Resource[1]'],
    ['a Principal that is a string other than "*"', doc(statement({ Principal: 'arn:aws:iam::111111111111:root' })), 'Statement[0].Principal'],
    ['a principal list nested deep', doc(statement({ Principal: { AWS: nested(200_000, '111111111111') } })), 'Statement[0].Principal.AWS[0]'],
    ['a Sid that is a list', doc(statement({ Sid: nested(200_000, 'x') })), 'Statement[0].Sid'],
    ['an Effect that is neither', doc(statement({ Effect: 'allow' })), 'Statement[0].Effect'],
  ])('%s: a PolicyValidationError naming the policy and the field', (_, document, field) => {
    const error = failure(document);
    expect(error.message).toContain('documentGrants (inline p)');
    expect(error.findings.map((f) => f.field)).toContain(field);
    // The message never walks the value: a value nested a million deep is named by its kind.
    expect(error.message.length).toBeLessThan(2_000);
  });

  it('a policy of a million bad statements fails with at most 20 findings, as fast as one', () => {
    const error = failure({ Version: '2012-10-17', Statement: Array.from({ length: 1_000_000 }, () => null) });
    expect(error.findings).toHaveLength(20);
  });

  /** A stack whose role's inline policy is `document`, bypassing the reader's own checks (as a library caller may). */
  const withDocument = (document: unknown): StackIam => {
    const stack = roleStack({ inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' })] });
    return {
      ...stack,
      subjects: stack.subjects.map((s) => (s.kind === 'role' ? { ...s, policies: s.policies.map((p) => ({ ...p, document: document as PolicyDocument })) } : s)),
    };
  };

  it.each([
    ['a null document', null],
    ['a Resource nested deep', doc(statement({ Resource: nested(200_000) }))],
    ['a null Condition', doc(statement({ Condition: null }))],
  ])('the report and the diff of a subject whose policy is %s fail with a PolicyValidationError', (_, document) => {
    const bad = withDocument(document);
    const good = withDocument(doc(statement({})));
    expect(() => accessReport([bad])).toThrow(PolicyValidationError);
    expect(() => permissionDiff([good], [bad])).toThrow(PolicyValidationError);
    expect(() => permissionDiff([bad], [good])).toThrow(PolicyValidationError);
  });
});

describe('rendering more lines than a call takes arguments', () => {
  it('the report of a subject with 200,000 rows', () => {
    const row = (i: number): GrantRow => ({
      effect: 'Allow',
      service: 's3',
      accessLevel: 'Read',
      actions: ['GetObject'],
      allActions: false,
      except: [],
      resources: [`arn:aws:s3:::b/${i}`],
      principals: [],
      conditions: [],
      flags: [],
      policies: ['inline p (statement 1)'],
      tag: '',
    });
    const rows = Array.from({ length: 200_000 }, (_, i) => row(i));
    const subject = accessReport([roleStack({ inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/0' })] })]).stacks[0].subjects[0];
    const report: AccessReport = {
      iamDataVersion: 'x',
      awsManagedPoliciesAsOf: 'y',
      stacks: [{ stack: 'big', subjects: [{ ...subject, permissions: rows, boundary: { policy: subject.policies[0], rows } }] }],
    };
    const markdown = renderReport(report, source);
    expect(markdown).toContain('`arn:aws:s3:::b/199999`');
    expect(renderReport(report, source, limit).length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
  });

  it('a diff whose text holds 300,000 runs of backticks (the Markdown fence is longer than the longest)', () => {
    const resource = `arn:aws:s3:::b/${'`x'.repeat(300_000)}\`\`\`\``;
    const diff = permissionDiff([roleStack({})], [roleStack({ inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: resource })] })]);
    const markdown = renderDiffMarkdown(diff, sides);
    expect(markdown).toContain('`````diff');
  });
});
