import {
  accessReport,
  diffJson,
  diffReview,
  fitMarkdown,
  GITHUB_COMMENT_MAX_LENGTH,
  type MarkdownBlock,
  permissionDiff,
  renderDiff,
  renderDiffFailureMarkdown,
  renderDiffMarkdown,
  renderReport,
  utf8Length,
} from '../../../modules/review';
import { doc, read, roleResources, roleStack, stackJson } from './crafted-stacks';

const SOURCE = { stacksDir: 'stacks', command: 'least-privilege-iam report', jsonFile: 'access-report.json' };
const LIMIT = { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText: '`cdktf.out/access-report.md`' };
const SIDES = { before: 'main (1234567)', after: 'the working tree' };

/** `stacks` stacks of `roles` roles each, every role with a policy of `buckets` buckets: a review far over a comment's size. */
function manyStacks(stacks: number, roles: number, buckets: number, extra: string[] = []) {
  return Array.from({ length: stacks }, (_, s) =>
    Array.from({ length: roles }, (_, r) => {
      const resources = Array.from({ length: buckets }, (_, b) => `arn:aws:s3:::bucket-${s}-${r}-${b}/*`);
      return roleStack({ name: `role-${r}`, inline: [doc({ Sid: 'Read', Action: ['s3:GetObject', ...extra], Effect: 'Allow', Resource: resources })] }, `stack-${String(s).padStart(3, '0')}`);
    }),
  ).map((roleStacks) => ({ stack: roleStacks[0].stack, subjects: roleStacks.flatMap((x) => x.subjects) }));
}

describe('fitMarkdown: a text cut to fit a pull-request comment', () => {
  const blocks = (sizes: number[]): MarkdownBlock[] => [
    { text: '# Title\n\n' },
    { text: '', notice: true },
    ...sizes.map((n, i) => ({ text: `${String(i).repeat(n)}\n\n`, cut: { priority: 1, kind: 'details', label: `part ${i}` } })),
  ];

  it('leaves a text that fits as it is, with no notice', () => {
    const text = fitMarkdown(blocks([10, 20]), { maxLength: 100, fullText: 'F' });
    expect(text).toBe('# Title\n\n0000000000\n\n11111111111111111111\n');
  });

  it('cuts the largest blocks first, keeps what may not be cut, and says what was cut and where the whole is', () => {
    const text = fitMarkdown(blocks([100, 300, 50, 200]), { maxLength: 450, fullText: '`full.md`' });
    expect(utf8Length(text)).toBeLessThanOrEqual(450);
    expect(text.startsWith('# Title\n\n> **Cut to fit a GitHub comment (450 characters).** Not shown here: 2 of 4 details (the largest: part 1, part 3). The full text: `full.md`')).toBe(true);
    expect(text).toContain('0'.repeat(100));
    expect(text).toContain('2'.repeat(50));
    expect(text).not.toContain('1'.repeat(300));
    expect(text).not.toContain('3'.repeat(200));
  });

  it('cuts the least important first, whatever their size', () => {
    const text = fitMarkdown(
      [
        { text: 'big but important\n'.repeat(10), cut: { priority: 2, kind: 'summary rows' } },
        { text: '', notice: true },
        { text: 'small detail\n'.repeat(10), cut: { priority: 1, kind: 'details' } },
      ],
      // Both: 310 characters; the rows alone and the notice fit, the details alone would too.
      { maxLength: 300, fullText: 'F' },
    );
    expect(text).toContain('big but important');
    expect(text).not.toContain('small detail');
    expect(text).toContain('1 of 1 details');
  });

  it('says "1 of 1" in the singular when the block gives it, and counts past a thousand with separators', () => {
    const one = fitMarkdown(
      [
        { text: '', notice: true },
        { text: `${'x'.repeat(200)}\n`, cut: { priority: 1, kind: 'risky lines', one: 'risky line' } },
      ],
      { maxLength: 150, fullText: 'F' },
    );
    expect(one).toContain('Not shown here: 1 of 1 risky line.');
    const many = fitMarkdown([{ text: '', notice: true }, ...Array.from({ length: 1_200 }, () => ({ text: 'x\n', cut: { priority: 1, kind: 'risky lines', one: 'risky line' } }))], {
      maxLength: 150,
      fullText: 'F',
    });
    expect(many).toMatch(/Not shown here: [\d,]+ of 1,200 risky lines\./);
  });

  it('drops a heading once every block under it is cut, never before', () => {
    const grouped: MarkdownBlock[] = [
      { text: '', notice: true },
      { text: '## A\n\n', headingOf: 'a' },
      { text: `${'a'.repeat(200)}\n\n`, group: 'a', cut: { priority: 1, kind: 'details' } },
      { text: '## B\n\n', headingOf: 'b' },
      { text: `${'b'.repeat(100)}\n\n`, group: 'b', cut: { priority: 1, kind: 'details' } },
    ];
    const text = fitMarkdown(grouped, { maxLength: 260, fullText: 'F' });
    expect(text).not.toContain('## A');
    expect(text).toContain('## B');
    expect(text).toContain('b'.repeat(100));
  });

  it('never goes over the limit, even when what may not be cut does not fit: it says so', () => {
    const text = fitMarkdown([{ text: `${'x'.repeat(5_000)}\n` }, { text: '', notice: true }], { maxLength: 1_000, fullText: '`full.md`' });
    expect(utf8Length(text)).toBeLessThanOrEqual(1_000);
    expect(text).toContain('**Cut here: even the summary is over 1,000 characters.** The full text: `full.md`');
  });

  it('counts characters as UTF-8 bytes, the strictest reading of the limit', () => {
    expect(utf8Length('a')).toBe(1);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('→')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    const text = fitMarkdown([{ text: `${'é'.repeat(900)}\n` }], { maxLength: 1_000, fullText: 'F' });
    expect(utf8Length(text)).toBeLessThanOrEqual(1_000);
    expect(text).not.toContain('\uFFFD');
  });
});

describe('the access report as a pull-request comment', () => {
  it('on a synthetic app far over the limit: at most 65,536 characters, the summary first, the cut said', () => {
    const report = accessReport(manyStacks(40, 12, 25, ['iam:PassRole']));
    const whole = renderReport(report, SOURCE);
    expect(whole.length).toBeGreaterThan(4 * GITHUB_COMMENT_MAX_LENGTH);
    const comment = renderReport(report, SOURCE, LIMIT);
    expect(utf8Length(comment)).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    // The summary comes first and whole: the counts and every flag's count.
    expect(comment.indexOf('## Summary')).toBeLessThan(comment.indexOf('<details>'));
    expect(comment).toContain('40 stacks, 480 subjects; 480 subjects with risk flags.');
    expect(comment).toContain('| `PASS_ROLE` | 480 |');
    // What was cut, and where the whole report is, right after the summary.
    expect(comment).toMatch(/> \*\*Cut to fit a GitHub comment \(65,536 characters\)\.\*\* Not shown here: \d+ of 480 subject details \(the largest: `stack-\d+`: role `role-\d+`/);
    expect(comment).toContain('The full text: `cdktf.out/access-report.md`');
    expect(comment.indexOf('> **Cut to fit')).toBeLessThan(comment.indexOf('<details>'));
    // Every <details> left is whole.
    expect(comment.match(/<details>/g)!.length).toBe(comment.match(/<\/details>/g)!.length);
    // Deterministic.
    expect(renderReport(accessReport(manyStacks(40, 12, 25, ['iam:PassRole']).reverse()), SOURCE, LIMIT)).toBe(comment);
  });

  it('so many subjects that even the subject table is cut: still under the limit, and it says how many rows', () => {
    const comment = renderReport(accessReport(manyStacks(100, 20, 1)), SOURCE, LIMIT);
    expect(utf8Length(comment)).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(comment).toMatch(/[\d,]+ of 2,000 rows of the subject table/);
    expect(comment).toContain('100 stacks, 2,000 subjects; 2,000 subjects with risk flags.');
    expect(comment).toContain('2,000 of 2,000 subject details');
  });

  it('every role gets its "Who gets in", with no finding too: the details grow, the comment still fits', () => {
    // 480 roles whose trust has no finding (their account is pinned): each says who gets in.
    const stacks = Array.from({ length: 40 }, (_, s) => {
      const resources = Array.from({ length: 12 }, (_, r) =>
        roleResources({ name: `role-${r}`, inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: Array.from({ length: 25 }, (_, b) => `arn:aws:s3:::bucket-${s}-${r}-${b}/*`) })] }),
      );
      const merged: Record<string, Record<string, Record<string, unknown>>> = {};
      for (const part of resources) for (const [type, byName] of Object.entries(part)) merged[type] = { ...merged[type], ...byName };
      return read(stackJson(merged, [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }]), `stack-${String(s).padStart(3, '0')}`);
    });
    const report = accessReport(stacks);
    const line = '#### Who gets in\n\n- trust policy of role-0: no finding: only `AWS arn:aws:iam::111111111111:root` gets in.\n';
    const whole = renderReport(report, SOURCE);
    expect(whole.match(/: no finding: only /g)!.length).toBe(480);
    expect(whole).toContain(line);
    const comment = renderReport(report, SOURCE, LIMIT);
    expect(utf8Length(comment)).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(comment).toContain('40 stacks, 480 subjects; 480 subjects with risk flags.');
    // What is left of the details is whole, each with its "Who gets in".
    expect(comment.match(/<details>/g)!.length).toBe(comment.match(/#### Who gets in/g)!.length);
  });

  it('a report that fits is whole, with no notice, each subject folded', () => {
    const report = accessReport([roleStack({ name: 'small', inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' })] })]);
    const comment = renderReport(report, SOURCE, LIMIT);
    expect(comment).toBe(renderReport(report, SOURCE));
    expect(comment).not.toContain('Cut to fit');
    expect(comment).toContain('<details>\n<summary>Role <code>small</code>: <code>RESOURCE_WILDCARD</code> <code>CROSS_ACCOUNT</code> <code>NOT_ACKNOWLEDGED</code></summary>\n\n### Role `small`');
  });
});

describe('the permission diff as JSON and as a pull-request comment', () => {
  const before = [
    roleStack({ name: 'app', inline: [doc({ Sid: 'Read', Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::data/*' })] }),
    roleStack({ name: 'old', inline: [doc({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: 'arn:aws:sqs:eu-west-1:111111111111:q' })] }, 'other'),
  ];
  const after = [roleStack({ name: 'app', inline: [doc({ Sid: 'Read', Action: ['s3:GetObject', 'iam:PassRole'], Effect: 'Allow', Resource: '*' })] }), roleStack({ name: 'old', inline: [] }, 'other')];
  const diff = permissionDiff(before, after);

  it('JSON: the verdict and its exit code, the counts, the widened and narrowed subjects, the risky lines', () => {
    const json = JSON.parse(diffJson(diff, SIDES)) as ReturnType<typeof diffReview>;
    expect(json).toMatchObject({ format: 'least-privilege-iam/permission-diff', formatVersion: 1, before: 'main (1234567)', after: 'the working tree', verdict: 'widens', exitCode: 1 });
    expect(json.summary).toEqual({ stacks: 2, subjects: 2, changes: 3, widening: 2, widenedSubjects: 1, narrowedSubjects: 1, riskFlags: { PASS_ROLE: 1, DATA_EXFILTRATION: 1, ANY_RESOURCE: 2 } });
    expect(json.widened.map((s) => [s.stack, s.kind, s.name, s.widens])).toEqual([['crafted', 'role', 'app', true]]);
    expect(json.widened[0].lines).toContainEqual(
      expect.objectContaining({ part: 'permissions', change: 'added', widens: true, why: 'new action', service: 'iam', actions: ['PassRole'], resources: ['*'], flags: ['PASS_ROLE', 'ANY_RESOURCE'] }),
    );
    expect(json.narrowed.map((s) => [s.stack, s.name, s.lines.map((l) => l.part !== 'other' && [l.change, l.why])])).toEqual([['other', 'old', [['removed', 'action no longer allowed']]]]);
    expect(json.flagged).toContainEqual({ stack: 'crafted', kind: 'role', name: 'app', line: '+ Allow iam Write: PassRole on *', flags: ['PASS_ROLE', 'ANY_RESOURCE'] });
    // No change: exit 0.
    expect(diffReview(permissionDiff(before, before), SIDES)).toMatchObject({ verdict: 'does-not-widen', exitCode: 0, widened: [], narrowed: [] });
  });

  it('the JSON and the text agree: the same counts', () => {
    const { summary } = diffReview(diff, SIDES);
    expect(renderDiff(diff, SIDES)).toContain(`${summary.changes} changes in ${summary.subjects} subjects of ${summary.stacks} stacks; ${summary.widening} widen permissions.`);
  });

  it('Markdown: the verdict, the counts, the lists and the risky lines before the folded changes', () => {
    const md = renderDiffMarkdown(diff, SIDES, LIMIT);
    const order = [
      '## Permission diff: `main (1234567)` -> the working tree',
      '**Widens permissions: 1 subject can do more than before. Ask for a second reviewer.**',
      '| Risk flags on what is added | `PASS_ROLE` 1, `DATA_EXFILTRATION` 1, `ANY_RESOURCE` 2 |',
      '**Widened:**',
      '**Risky lines added:**',
      '**Narrowed:**',
      '### Changes',
      '<details>',
    ];
    const at = order.map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('- `crafted`: role `app`: `+ Allow iam Write: PassRole on *`: `PASS_ROLE` `ANY_RESOURCE`');
    expect(md).toContain('```diff\n+ WIDENS Allow s3 Read: GetObject  (more resources)\n    on *\n    risky: DATA_EXFILTRATION, ANY_RESOURCE\n');
    expect(md).toContain('\n+ WIDENS Allow iam Write: PassRole  (new action)\n    on *\n    risky: PASS_ROLE, ANY_RESOURCE\n    from inline inline-0 (Read)\n');
    expect(renderDiffMarkdown(permissionDiff(before, before), SIDES, LIMIT)).toBe(
      '<!-- least-privilege-iam:diff -->\n## Permission diff: `main (1234567)` -> the working tree\n\n**No change in effective permissions.**\n',
    );
  });

  it('Markdown of a huge diff: at most 65,536 characters, the verdict and counts kept, the narrowed details cut before the widened', () => {
    const old = manyStacks(30, 10, 30);
    const now = manyStacks(30, 10, 30, ['iam:PassRole']).map((s, i) => (i % 2 === 0 ? s : old[i]));
    // Every other stack narrows instead: its roles lose their policy's second half of buckets.
    const narrowed = manyStacks(30, 10, 15).map((s, i) => (i % 2 === 1 ? s : now[i]));
    const big = permissionDiff(old, narrowed);
    expect(renderDiffMarkdown(big, SIDES).length).toBeGreaterThan(2 * GITHUB_COMMENT_MAX_LENGTH);
    const md = renderDiffMarkdown(big, SIDES, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText: '`cdktf.out/permission-diff.md`' });
    expect(utf8Length(md)).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(md).toContain('| Subjects widened | 150 |');
    expect(md).toContain('| Subjects narrowed (changed, nothing widens) | 150 |');
    const cut = /Not shown here: (\d+) of 300 subjects' changes \(the largest: `stack-\d+`: role `role-\d+`/.exec(md);
    expect(Number(cut![1])).toBeGreaterThan(150);
    expect(md).toContain('The full text: `cdktf.out/permission-diff.md`');
    // What is left of the details is the widening subjects'.
    expect(md).toContain('<summary>WIDENS: ');
    expect(md).not.toMatch(/<summary><code>/);
    expect(renderDiffMarkdown(big, SIDES, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText: '`cdktf.out/permission-diff.md`' })).toBe(md);
  });

  it('Markdown of a diff that could not be made: says there is no verdict, and why', () => {
    const md = renderDiffFailureMarkdown(SIDES, 'least-privilege-iam diff: synthesizing main failed (exit 1):\nError: boom');
    expect(md).toContain('**Could not decide whether this change widens permissions** (exit 2)');
    expect(md).toContain('```\nleast-privilege-iam diff: synthesizing main failed (exit 1):\nError: boom\n```');
  });
});
