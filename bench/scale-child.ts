/**
 * One measurement of bench/scale-review.ts, in a process of its own so that its peak memory is its own:
 * `node scripts/run-bundled.js bench/scale-child.ts report|diff|warm-up`.
 *
 * The stacks: one stack, `scale`, with
 * - role `everything`: an inline policy of five statements, each `"Action": "*"` on ten resources of its
 *   own (S3 buckets and objects, DynamoDB tables, SQS queues, KMS keys, Lambda functions), so fifty
 *   resources of some 22,000 actions each (iam-data's catalogue): about 1.1 million grants;
 * - role `admin`: AWS managed `AdministratorAccess` and `ReadOnlyAccess`, expanded from the library's copy
 *   of AWS's policies (every action on `*`, and ReadOnlyAccess's thousands of actions);
 * - a boundary on `everything` allowing every action on its resources' services (so the diff's boundary
 *   test runs for each added grant).
 * The widened version (the diff's "after") appends `*` to each of `everything`'s fifty resources (an
 * object pattern `…/data/*` becomes `…/*`): every
 * grant of it is then new (`more resources`) and takes the slow path of the cover test, and every old grant
 * is covered only by pattern, not by its key.
 *
 * `report`: read the widened stack, the access report, its Markdown (whole and cut to a comment) and its
 * JSON. `diff`: read both, the permission diff, its text, Markdown (whole and cut) and JSON. What is timed
 * starts at reading the stack's JSON text (as the command-line tool reads the file) and ends with the last
 * text; the peak RSS (getrusage's maxRSS) is taken right after. Then, untimed, the grants are counted and
 * the results checked. Prints one line of JSON.
 */
import { performance } from 'node:perf_hooks';
import {
  accessReport,
  diffJson,
  GITHUB_COMMENT_MAX_LENGTH,
  permissionDiff,
  readSynthesizedStacks,
  renderDiff,
  renderDiffMarkdown,
  renderReport,
  reportJson,
  subjectGrants,
  type SynthesizedStackFile,
} from '../modules/review';

const KINDS = [
  (i: number) => `arn:aws:s3:::scale-bucket-${i}`,
  (i: number) => `arn:aws:s3:::scale-bucket-${i}/data/*`,
  (i: number) => `arn:aws:dynamodb:eu-west-1:111111111111:table/scale-table-${i}`,
  (i: number) => `arn:aws:sqs:eu-west-1:111111111111:scale-queue-${i}`,
  (i: number) => `arn:aws:kms:eu-west-1:111111111111:key/0000000${i}-0000-0000-0000-000000000000`,
  (i: number) => `arn:aws:lambda:eu-west-1:111111111111:function:scale-function-${i}`,
];
export const SCALE_STATEMENTS = 5;
export const SCALE_RESOURCES_PER_STATEMENT = 10;

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111111111111:root' } }] });

/** The stack's cdk.tf.json, as cdktf writes it; `widened`: every resource of `everything` with a trailing `*`. */
function scaleStack(widened: boolean): SynthesizedStackFile {
  const statements = Array.from({ length: SCALE_STATEMENTS }, (_, s) => ({
    Sid: `Everything${s}`,
    Effect: 'Allow',
    Action: '*',
    Resource: Array.from({ length: SCALE_RESOURCES_PER_STATEMENT }, (_, r) => {
      const i = s * SCALE_RESOURCES_PER_STATEMENT + r;
      const arn = KINDS[i % KINDS.length]!(i);
      // Widened: the object pattern to the whole bucket, the others with a trailing `*`.
      return !widened ? arn : arn.endsWith('/data/*') ? arn.replace('/data/*', '/*') : `${arn}*`;
    }),
  }));
  const boundary = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'sqs:*', 'kms:*', 'lambda:*'], Resource: '*' }] };
  const json = {
    provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }] },
    resource: {
      aws_iam_role: {
        everything: { name: 'everything', assume_role_policy: TRUST, permissions_boundary: '${aws_iam_policy.boundary.arn}' },
        admin: { name: 'admin', assume_role_policy: TRUST },
      },
      aws_iam_policy: { boundary: { name: 'everything-boundary', policy: JSON.stringify(boundary) } },
      aws_iam_role_policy: { everything: { name: 'everything', role: '${aws_iam_role.everything.name}', policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } },
      aws_iam_role_policy_attachment: {
        admin_administrator: { role: '${aws_iam_role.admin.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        admin_read_only: { role: '${aws_iam_role.admin.name}', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      },
    },
    terraform: { required_providers: { aws: { source: 'aws', version: '5.0.0' } } },
  };
  return { stack: 'scale', file: 'cdktf.out/stacks/scale/cdk.tf.json', text: JSON.stringify(json, null, 2) };
}

export interface ScaleResult {
  readonly mode: string;
  /** The work, from reading the stack's text to the last text written. */
  readonly ms: number;
  /** This process's peak RSS (getrusage's maxRSS) right after the work. */
  readonly maxRssBytes: number;
  /** The grants of the stack (of the larger version, for the diff): every subject's permissions, trust and boundary. */
  readonly grants: number;
  /** What came out: the report's rows, or the diff's changes. */
  readonly result: string;
}

const fullText = '`the files written`';

function countGrants(file: SynthesizedStackFile): number {
  let n = 0;
  for (const stack of readSynthesizedStacks([file], 'bench scale')) {
    for (const subject of stack.subjects) {
      const g = subjectGrants(subject);
      n += g.permissions.length + g.trust.length + (g.boundary?.grants.length ?? 0);
    }
  }
  return n;
}

function measure(mode: string): ScaleResult {
  const before = scaleStack(false);
  const after = scaleStack(true);
  const start = performance.now();
  let check: () => string;
  if (mode === 'report') {
    const report = accessReport(readSynthesizedStacks([after], 'bench scale'));
    const source = { stacksDir: 'stacks', command: 'npm run report', jsonFile: 'access-report.json' };
    const texts = [renderReport(report, source), renderReport(report, source, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText }), reportJson(report)];
    check = () => {
      const role = report.stacks[0]?.subjects.find((s) => s.name === 'everything');
      const every = role?.permissions.find((r) => r.service === '*');
      if (every === undefined || every.resources.length !== SCALE_STATEMENTS * SCALE_RESOURCES_PER_STATEMENT || !texts[0]!.includes('every action'))
        throw new Error('the report has no `*` row on the fifty resources');
      return `${report.stacks[0]!.subjects.reduce((n, s) => n + s.permissions.length, 0)} rows, ${texts[0]!.length.toLocaleString('en-US')} characters`;
    };
  } else if (mode === 'diff') {
    const diff = permissionDiff(readSynthesizedStacks([before], 'bench scale'), readSynthesizedStacks([after], 'bench scale'));
    const sides = { before: 'before', after: 'widened' };
    const texts = [renderDiff(diff, sides), renderDiffMarkdown(diff, sides), renderDiffMarkdown(diff, sides, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText }), diffJson(diff, sides)];
    check = () => {
      const changes = diff.stacks.flatMap((s) => s.subjects).reduce((n, s) => n + s.grants.length, 0);
      if (!diff.widens || !texts[0]!.includes('WIDENS') || changes < 1_000_000) throw new Error(`the diff does not widen with every grant of the role: ${changes} changes`);
      return `${changes.toLocaleString('en-US')} grants changed, widens`;
    };
  } else return { mode, ms: 0, maxRssBytes: 0, grants: 0, result: 'warm-up' };
  const ms = performance.now() - start;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const result = check();
  return { mode, ms, maxRssBytes, grants: Math.max(countGrants(before), countGrants(after)), result };
}

process.stdout.write(`${JSON.stringify(measure(process.argv[3] ?? 'warm-up'))}\n`);
