/**
 * The permission diff as text for a terminal or a CI log: per stack and subject, each group of added
 * (`+`) and removed (`-`) grants with its kind of change, `WIDENS` on every change that widens
 * permissions, and the risk flags of what is added.
 */
import { grantRows } from './grant-rows';
import type { GrantChange, PermissionDiff, SubjectDiff } from './permission-diff';

/** What the diff compared, for its first line. */
export interface DiffSides {
  /** E.g. `HEAD (1a2b3c4)`. */
  readonly before: string;
  /** E.g. `the working tree`. */
  readonly after: string;
}

const KIND_TITLES: Record<SubjectDiff['kind'], string> = {
  role: 'role',
  user: 'user',
  group: 'group',
  'managed-policy': 'managed policy',
  'bucket-policy': 'bucket policy',
  'service-control-policy': 'service control policy',
};

const PART_TITLES: Record<GrantChange['part'], string> = {
  permissions: '',
  trust: 'trust policy: ',
  boundary: 'permissions boundary: ',
};

/** The diff as text, ending with a summary line. */
export function renderDiff(diff: PermissionDiff, sides: DiffSides): string {
  const out: string[] = [`Permission diff: ${sides.before} -> ${sides.after}`, ''];
  if (diff.stacks.length === 0) {
    out.push('No change in effective permissions.');
    return `${out.join('\n')}\n`;
  }
  let changes = 0;
  let widening = 0;
  for (const stack of diff.stacks) {
    out.push(`stack ${stack.stack}${stack.status === 'changed' ? '' : ` (${stack.status})`}`);
    for (const subject of stack.subjects) {
      const where = `${subject.provider}${subject.account !== undefined ? `, account ${subject.account}` : ''}`;
      const status = subject.status === 'changed' ? '' : `, ${subject.status}`;
      out.push(`  ${KIND_TITLES[subject.kind]} ${subject.name} (${where}${status})${subject.widens ? '  WIDENS' : ''}`);
      for (const part of ['trust', 'permissions', 'boundary'] as const) {
        const inPart = subject.grants.filter((g) => g.part === part);
        const byGrant = new Map(inPart.map((c) => [c.grant, c]));
        const rows = grantRows(
          inPart.map((c) => c.grant),
          (g) => {
            const c = byGrant.get(g)!;
            // Added before removed, widening first.
            return `${c.change === 'added' ? 0 : 1}${c.widens ? 0 : 1}\u0000${c.change}\u0000${c.widens}\u0000${c.why}`;
          },
        );
        for (const row of rows) {
          const [, change, widens, why] = row.tag.split('\u0000');
          changes++;
          if (widens === 'true') widening++;
          const sign = change === 'added' ? '+' : '-';
          const actions = row.allActions
            ? row.service === '*'
              ? `every action${row.except.length > 0 ? ` except ${row.except.join(', ')}` : ''}`
              : `${row.service}:* (every ${row.service} action)`
            : `${row.service} ${row.accessLevel}: ${row.actions.join(', ')}`;
          out.push(`    ${widens === 'true' ? 'WIDENS ' : '       '}${sign} ${PART_TITLES[part]}${row.effect} ${actions}  (${why})`);
          if (row.principals.length > 0) out.push(`             for ${row.principals.join(', ')}`);
          out.push(`             on ${row.resources.join(', ')}`);
          if (row.conditions.length > 0) out.push(`             when ${row.conditions.join(' and ')}`);
          // An SCP or a boundary only restricts: what it allows is no risk by itself.
          const grants = part !== 'boundary' && subject.kind !== 'service-control-policy';
          if (change === 'added' && grants && row.flags.length > 0) out.push(`             risky: ${row.flags.join(', ')}`);
          out.push(`             from ${row.policies.join(', ')}`);
        }
      }
      for (const o of subject.other) {
        changes++;
        if (o.widens) widening++;
        out.push(`    ${o.widens ? 'WIDENS ' : '       '}* ${o.description}`);
      }
    }
    out.push('');
  }
  const subjects = diff.stacks.reduce((n, s) => n + s.subjects.length, 0);
  out.push(
    `${changes} ${changes === 1 ? 'change' : 'changes'} in ${subjects} ${subjects === 1 ? 'subject' : 'subjects'} of ${diff.stacks.length} ${diff.stacks.length === 1 ? 'stack' : 'stacks'}; ` +
      (widening > 0 ? `${widening} widen${widening === 1 ? 's' : ''} permissions.` : 'none widens permissions.'),
  );
  return `${out.join('\n')}\n`;
}
