/**
 * The escalation paths as the report and the diff show them: Markdown rows and sections, and one line of
 * text per path (`ESCALATION PATH <id>: <principal> via <actions>`; the diff's `NEW ESCALATION PATH …`).
 */
import type { AccessReport, SubjectReport } from '../access-report';
import type { EscalationFinding, EscalationStep } from './detector';
import { PATHFINDING_SNAPSHOT } from './catalog';

/** A principal as the lines name it: `role ci-deploy`. */
export function principalName(subject: { readonly kind: string; readonly name: string }): string {
  return `${subject.kind.replace(/-/g, ' ')} ${subject.name}`;
}

/** The actions of a finding, each once, in the catalogue's order: `iam:PassRole + lambda:CreateFunction`. */
export function escalationActions(finding: EscalationFinding): string {
  return [...new Set(finding.via.map((s) => s.action))].join(' + ');
}

/** `ESCALATION PATH <id>: <principal> via <actions>`. */
export function escalationLine(finding: EscalationFinding, principal: string): string {
  return `ESCALATION PATH ${finding.id}: ${principal} via ${escalationActions(finding)}`;
}

/** Every path of every subject of the report, one line of text each, prefixed with the stack. */
export function reportEscalationLines(report: AccessReport): string[] {
  const lines: string[] = [];
  for (const stack of report.stacks) {
    for (const subject of stack.subjects) {
      for (const finding of subject.escalationPaths ?? []) lines.push(`${stack.stack}: ${escalationLine(finding, principalName(subject))}`);
    }
  }
  return lines;
}

/** The heading and header of the report summary's table of paths. */
export const ESCALATION_SUMMARY_HEAD: readonly string[] = [
  '### Privilege-escalation paths',
  '',
  `Principals whose grants complete a path of the escalation catalogue (written from [pathfinding.cloud](${PATHFINDING_SNAPSHOT.repository}), whose ids it keeps): ` +
    'each is open if the resources the path needs exist, under the conditions its grants carry.',
  '',
  '| Stack | Principal | Path | Via |',
  '|---|---|---|---|',
];

/** The report summary's rows of paths, one per subject and path. */
export function escalationSummaryRows(report: AccessReport): string[] {
  const rows: string[] = [];
  for (const stack of report.stacks) {
    for (const subject of stack.subjects) {
      for (const f of subject.escalationPaths ?? [])
        rows.push(`| ${code(stack.stack)} | ${escape(principalName(subject))} | ${code(f.id)}: ${escape(f.title)} | ${f.via.map((s) => code(s.action)).join(' + ')} |`);
    }
  }
  return rows;
}

/** A subject's section of paths, for its details in the report. */
export function escalationSection(subject: Pick<SubjectReport, 'escalationPaths'>): string[] {
  const findings = subject.escalationPaths ?? [];
  if (findings.length === 0) return [];
  const out = [
    '#### Privilege-escalation paths',
    '',
    'Its grants complete these paths (ids of the escalation catalogue, after pathfinding.cloud), if the resources they need exist:',
    '',
    '| Path | What it does | Via |',
    '|---|---|---|',
  ];
  for (const f of findings) {
    const unpaired = f.unpaired === true ? ' (too many resources to check that they reach one resource: taken to)' : '';
    out.push(`| ${code(f.id)} | ${escape(f.title)}${unpaired} | ${f.via.map(stepText).join('<br>')} |`);
  }
  out.push('');
  return out;
}

function stepText(s: EscalationStep): string {
  const when = s.conditions.length > 0 ? ` when ${s.conditions.map(code).join(' and ')}` : '';
  return `${code(s.action)} on ${code(s.resource)}${when} (${escape(s.policy)})`;
}

/** A code span that survives inside a table cell. */
function code(value: string): string {
  const text = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function escape(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
