/**
 * The changes of a subject that are not grants, for the permission diff (`permission-diff.ts`): what the
 * review does not model (compared by content), the IAM path, the tags, a policy's `Version`, the instance
 * profiles a role is in, and a principal this stack does not create dropped from it. Each with a stable
 * description (modules/review/README.md lists them) and whether it can widen.
 */
import type { InstanceProfileEntry, StackIam, Subject } from '../stack-iam';

/** One change that is not a grant (as `OtherChange` of the diff). */
export interface SubjectChange {
  readonly description: string;
  readonly widens: boolean;
}

/** Every such change of one subject, from `old` to `now` (either absent: added or removed), in the stacks `before` and `after`. */
export function subjectChanges(old: Subject | undefined, now: Subject | undefined, before?: StackIam, after?: StackIam): SubjectChange[] {
  const changes: SubjectChange[] = [];
  for (const c of unmodelledChanges(old, now)) changes.push(c);
  if (old !== undefined && now !== undefined) {
    for (const c of pathChange(old, now)) changes.push(c);
    for (const c of tagChanges(old, now)) changes.push(c);
    for (const c of versionChanges(old, now)) changes.push(c);
  }
  for (const c of instanceProfileChanges(old, now, before, after)) changes.push(c);
  if (old !== undefined && now === undefined && isPrincipal(old) && old.addresses.length === 0) {
    changes.push({
      description: `no longer named by this stack: the ${old.kind} is not created here and lives on, without what this stack gave it and took from it (its Denies are listed as removed)`,
      widens: false,
    });
  }
  return changes;
}

function isPrincipal(subject: Subject): boolean {
  return subject.kind === 'role' || subject.kind === 'user' || subject.kind === 'group';
}

/**
 * Parts the review does not model, compared by digest. Added or changed: widens (whatever is in it may
 * grant). Removed: widens too (it may have held a Deny), except when the whole subject goes with it and
 * took it along (a role the stack creates, removed with its policies), for a part whose removal can
 * grant nothing (`removalNarrows`), and for a service control policy's own content, which only restricts
 * when added. A part whose content lies partly outside the stack's JSON widens on every diff.
 */
function unmodelledChanges(old: Subject | undefined, now: Subject | undefined): SubjectChange[] {
  const subject = (now ?? old)!;
  const before = new Map((old?.unmodelled ?? []).map((p) => [p.key, p]));
  const after = new Map((now?.unmodelled ?? []).map((p) => [p.key, p]));
  const goesWithSubject = now === undefined && subject.kind !== 'unreviewed' && subject.kind !== 'bucket-policy' && subject.kind !== 'service-control-policy' && subject.addresses.length > 0;
  const restrictsOnly = subject.kind === 'service-control-policy';
  const changes: SubjectChange[] = [];
  for (const [key, part] of after) {
    const was = before.get(key);
    if (was === undefined) changes.push({ description: `unreviewed access change: ${key} added (${part.why})`, widens: !(restrictsOnly && old === undefined) });
    else if (was.digest !== part.digest) changes.push({ description: `unreviewed access change: ${key} changed (${part.why})`, widens: true });
    else if (part.outside !== undefined) {
      changes.push({
        description: `unreviewed access change: ${key} depends on ${part.outside.join(', ')}, which the stack's JSON does not hold: whether this change touches it cannot be told`,
        widens: true,
      });
    }
  }
  for (const [key, part] of before) {
    if (after.has(key)) continue;
    const widens = !goesWithSubject && part.removalNarrows !== true;
    changes.push({ description: `unreviewed access change: ${key} removed (${part.why})`, widens });
  }
  return changes;
}

/**
 * An IAM path is part of the ARN (`arn:aws:iam::<account>:role/<path><name>`, IAM User Guide, "IAM
 * identifiers"), and policies name principals by path (`…:role/deploy/*`, an `iam:PassRole` or
 * `sts:AssumeRole` grant on a path): moved, a role or user may come under a grant it was outside of.
 */
function pathChange(old: Subject, now: Subject): SubjectChange[] {
  const was = old.path ?? '/';
  const is = now.path ?? '/';
  if (was === is) return [];
  const kind = now.kind === 'managed-policy' ? 'policy' : now.kind;
  return [{ description: `path changed from ${was} to ${is}: a policy that names ${kind}s by path (…:${kind}${is}*) may now match it`, widens: true }];
}

/**
 * Tags decide access through `aws:PrincipalTag` (the tags of the role or user making a request) and
 * `aws:ResourceTag` (those of the role or user acted on), IAM User Guide, "Controlling access to and for
 * IAM users and roles using tags". Any tag added, changed or removed may make a condition match (removed:
 * a `StringNotEquals` Deny, or a `Null` check): each widens.
 */
function tagChanges(old: Subject, now: Subject): SubjectChange[] {
  const was = old.tags ?? {};
  const is = now.tags ?? {};
  const keys = [...new Set([...Object.keys(was), ...Object.keys(is)])].sort();
  const suffix = (key: string) => `: conditions on aws:PrincipalTag/${key} or aws:ResourceTag/${key} may now match`;
  const changes: SubjectChange[] = [];
  for (const key of keys) {
    if (!(key in was)) changes.push({ description: `tag ${key} added (${key}=${is[key]})${suffix(key)}`, widens: true });
    else if (!(key in is)) changes.push({ description: `tag ${key} removed (was ${key}=${was[key]})${suffix(key)}`, widens: true });
    else if (was[key] !== is[key]) changes.push({ description: `tag ${key} changed from ${was[key]} to ${is[key]}${suffix(key)}`, widens: true });
  }
  return changes;
}

/**
 * A policy's `Version` decides whether `${aws:username}` is a policy variable (2012-10-17) or literal text
 * (2008-10-17, or no Version), IAM User Guide, "IAM JSON policy elements: Version". The grants already
 * differ (the reader writes literal text `${$}{…}`); this names why, for each policy kept under the same
 * label whose Version changed and that holds a `${`.
 */
function versionChanges(old: Subject, now: Subject): SubjectChange[] {
  const documents = (s: Subject) =>
    new Map([...s.policies, ...(s.trustPolicy ? [s.trustPolicy] : []), ...(s.boundary ? [s.boundary] : [])].filter((p) => p.document !== undefined).map((p) => [p.label, p.document!]));
  const was = documents(old);
  const changes: SubjectChange[] = [];
  for (const [label, document] of documents(now)) {
    const previous = was.get(label);
    if (previous === undefined) continue;
    const from = versionOf(previous);
    const to = versionOf(document);
    if ((from === '2012-10-17') === (to === '2012-10-17')) continue;
    if (!JSON.stringify(previous.Statement).includes('${') && !JSON.stringify(document.Statement).includes('${')) continue;
    const now2012 = to === '2012-10-17';
    changes.push({
      description: `policy ${label}: Version changed from ${from} to ${to}: \${…} in it is now ${now2012 ? 'a policy variable (was literal text)' : 'literal text (was a policy variable)'}`,
      widens: true,
    });
  }
  return changes;
}

function versionOf(document: { readonly Version?: string }): string {
  return document.Version ?? '(none, read as 2008-10-17)';
}

/**
 * A role put into an instance profile that already existed (held another role, or none) reaches whatever
 * runs with that profile, instances already running included: EC2 delivers the profile's role to them
 * (an instance profile "can contain only one role … You can remove the existing role and then add a
 * different role", IAM API reference, AddRoleToInstanceProfile), with no `iam:PassRole` at that point. A
 * new instance profile reaches nothing until someone launches with it, which takes `iam:PassRole` on the
 * role: not a widening.
 */
function instanceProfileChanges(old: Subject | undefined, now: Subject | undefined, before?: StackIam, after?: StackIam): SubjectChange[] {
  const changes: SubjectChange[] = [];
  const was = new Set(old?.instanceProfiles ?? []);
  const is = new Set(now?.instanceProfiles ?? []);
  const provider = (now ?? old)!.provider;
  const profileBefore = (name: string): InstanceProfileEntry | undefined => (before?.instanceProfiles ?? []).find((p) => p.name === name && p.provider === provider);
  for (const name of [...is].filter((p) => !was.has(p)).sort()) {
    const existing = profileBefore(name);
    if (existing !== undefined) {
      const held = existing.role === undefined ? 'no role' : `role ${existing.role}`;
      changes.push({ description: `now the role of instance profile ${name}, which held ${held}: whatever runs with ${name}, instances already running included, gets its permissions`, widens: true });
    } else changes.push({ description: `now in new instance profile ${name} (launching with it takes iam:PassRole on this role)`, widens: false });
  }
  for (const name of [...was].filter((p) => !is.has(p)).sort()) {
    const stays = (after?.instanceProfiles ?? []).some((p) => p.name === name && p.provider === provider);
    changes.push({ description: `no longer in instance profile ${name}${stays ? '' : ' (removed)'}`, widens: false });
  }
  return changes;
}
