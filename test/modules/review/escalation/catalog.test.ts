// The catalogue against the facts of the pathfinding.cloud snapshot it was written from, and against
// iam-data. pathfinding-snapshot.json holds, for each file of the repository's data/paths/ at the commit
// it names (https://github.com/DataDog/pathfinding.cloud, Apache-2.0, Copyright Datadog, Inc.), the
// path's id, name, category, parent id and the `permission` of each `permissions.required` entry, and
// nothing else: read from `git show <commit>:<file>` with a YAML parser.
import { resourceType, serviceActions, serviceExists } from '../../../../modules/core/iam-data';
import { CREDENTIAL_ACTIONS, DATA_READ_ACTIONS, DATA_SHARING_ACTIONS, ESCALATION_PATHS, escalationPath, PATHFINDING_SNAPSHOT } from '../../../../modules/review/escalation';
import snapshot from './pathfinding-snapshot.json';

/** Where the catalogue requires less than the source, and why (the path's note must say so). */
const NOT_REQUIRED: Record<string, readonly string[]> = {
  'ec2instanceconnect-003': ['ec2:DescribeInstances'],
};

describe('escalation catalogue', () => {
  it('has every path of the snapshot, once, by its source id, and no other', () => {
    expect(snapshot.commit).toBe(PATHFINDING_SNAPSHOT.commit);
    expect(snapshot.paths).toHaveLength(PATHFINDING_SNAPSHOT.paths);
    expect(ESCALATION_PATHS).toHaveLength(65);
    expect(ESCALATION_PATHS.map((p) => p.id).sort()).toEqual(snapshot.paths.map((p) => p.id).sort());
    expect(new Set(ESCALATION_PATHS.map((p) => p.id)).size).toBe(ESCALATION_PATHS.length);
    for (const path of ESCALATION_PATHS) expect([path.id, path.source]).toEqual([path.id, path.id]);
    expect(escalationPath('iam-005')?.title).toBe('Write an inline policy into its own role');
    expect(escalationPath('nope')).toBeUndefined();
  });

  it.each(snapshot.paths.map((p) => [p.id, p] as const))("%s: the source's category and required actions", (id, source) => {
    const path = escalationPath(id)!;
    expect(path.category).toBe(source.category);
    const actions = path.requires.map((r) => r.action);
    const dropped = NOT_REQUIRED[id] ?? [];
    expect([...actions].sort()).toEqual(source.required.filter((a) => !dropped.includes(a)).sort());
    for (const action of dropped) expect(path.note).toContain(action);
    // The source names the path by its actions; the title is this project's own words.
    expect(path.title).not.toBe(source.name);
  });

  it('names every action as iam-data spells it, and resource types the action has', () => {
    for (const path of ESCALATION_PATHS) {
      for (const r of path.requires) {
        const [service, name] = r.action.split(':');
        const data = serviceActions(service).get(name.toLowerCase());
        expect([path.id, r.action, data?.name]).toEqual([path.id, r.action, name]);
        for (const type of r.on ?? []) {
          expect([path.id, r.action, type, data!.resourceTypes.some((t) => t.name === type) && resourceType(service, type) !== undefined]).toEqual([path.id, r.action, type, true]);
        }
      }
    }
    for (const action of [...CREDENTIAL_ACTIONS, ...DATA_SHARING_ACTIONS, ...DATA_READ_ACTIONS]) {
      const [service, name] = action.split(':');
      expect([action, serviceExists(service) ? serviceActions(service).get(name.toLowerCase())?.name : 'no such service']).toEqual([action, name]);
    }
  });

  it('models each path consistently: PassRole to named services, links of two or more, self paths on the principal', () => {
    for (const path of ESCALATION_PATHS) {
      const links = new Map<string, number>();
      for (const r of path.requires) {
        if (r.action === 'iam:PassRole') expect([path.id, r.target, (r.passedTo ?? []).every((s) => s.endsWith('.amazonaws.com')) && (r.passedTo ?? []).length > 0]).toEqual([path.id, 'other', true]);
        else expect([path.id, r.passedTo]).toEqual([path.id, undefined]);
        if (r.same !== undefined) links.set(r.same, (links.get(r.same) ?? 0) + 1);
      }
      for (const [key, n] of links) expect([path.id, key, n >= 2]).toEqual([path.id, key, true]);
      // The source's self-escalations act on the principal itself, but for joining another group.
      if (path.category === 'self-escalation' && path.id !== 'iam-013') {
        expect([path.id, path.requires.some((r) => r.target === 'self' || r.target === 'attached-policy')]).toEqual([path.id, true]);
      }
      expect(path.summary.length).toBeGreaterThan(20);
    }
    expect(new Set(ESCALATION_PATHS.map((p) => p.summary)).size).toBe(ESCALATION_PATHS.length);
    expect(new Set(ESCALATION_PATHS.map((p) => p.title)).size).toBe(ESCALATION_PATHS.length);
  });
});
