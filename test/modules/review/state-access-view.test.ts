import { Testing } from 'cdktf';
import fc from 'fast-check';
import { readStack, type StateBucketView, stateAccessView, subjectGrants, type StackIam } from '../../../modules/review';
import { type StateAccessGrant, statePermissionsPolicy } from '../../../modules/state-access';
import { normalizeGrant, statePaths } from '../../../modules/state-access/private/grants';
import { CiPoliciesStack } from '../../../stacks/ci-policies';
import { StateAccessMultiStack } from '../../../stacks/state-access-multi';
import { StateAccessSimpleStack } from '../../../stacks/state-access-simple';
import { roleStack } from './crafted-stacks';

const SEED = 20_261_209;
const BUCKET = 'arn:aws:s3:::my-state-bucket';
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table';

function views(stack: StackIam): Map<string, StateBucketView[]> {
  const found = new Map<string, StateBucketView[]>();
  for (const subject of stack.subjects) {
    const view = stateAccessView(subject, subjectGrants(subject).permissions);
    if (view !== undefined) found.set(subject.id, view);
  }
  return found;
}

/** The grants as the module takes them, with its defaults (normalizeGrant) and the workspaces sorted. */
function expected(level: 'apply' | 'plan' | 'read', grants: StateAccessGrant[]) {
  return grants.map((g) => {
    const n = normalizeGrant(g);
    return { level, key: n.key, workspaceKeyPrefix: n.workspaceKeyPrefix, workspaces: [...n.workspaces].sort(), allowDefaultWorkspace: n.allowDefaultWorkspace };
  });
}

function recovered(view: StateBucketView[]) {
  return view.flatMap((b) => b.grants.map(({ locks: _locks, ...g }) => g));
}

describe("stateAccessView: the state-access grants in Terraform's terms, recovered from the synthesized policy", () => {
  const synthesized = (build: (app: ReturnType<typeof Testing.app>) => unknown, name: string) => {
    const app = Testing.app();
    const stack = build(app) as Parameters<typeof Testing.synth>[0];
    return readStack(name, JSON.parse(Testing.synth(stack)), 'test');
  };

  it('state-access-simple: the seed\'s first example, canApply [{ key: "terraform.tfstate" }] (stacks/state-access-simple.ts)', () => {
    const found = views(synthesized((app) => new StateAccessSimpleStack(app), 'state-access-simple'));
    expect([...found.keys()]).toEqual(['role aws state-access']);
    const view = found.get('role aws state-access')!;
    expect(view.map((b) => b.bucket)).toEqual([BUCKET]);
    expect(recovered(view)).toEqual(expected('apply', [{ key: 'terraform.tfstate' }]));
    expect(view[0].grants[0].locks).toEqual([`dynamodb ${TABLE}`]);
  });

  it('state-access-multi: apply, plan and read grants over several prefixes and workspaces (stacks/state-access-multi.ts)', () => {
    const view = views(synthesized((app) => new StateAccessMultiStack(app), 'state-access-multi')).get('role aws developer-state-access')!;
    // The grants of stacks/state-access-multi.ts, in the order the view sorts them (level, key, prefix).
    expect(recovered(view)).toEqual([
      ...expected('apply', [
        { key: 'sandbox/*', workspaces: [] },
        { key: 'terraform.tfstate', workspaceKeyPrefix: 'applications/my-app', workspaces: ['dev'], allowDefaultWorkspace: false },
      ]),
      ...expected('plan', [{ key: 'terraform.tfstate', workspaceKeyPrefix: 'applications/my-app', workspaces: ['test', 'staging'], allowDefaultWorkspace: false }]),
      ...expected('read', [{ key: 'terraform.tfstate', workspaceKeyPrefix: 'infra/network' }]),
    ]);
    const read = view[0].grants.find((g) => g.level === 'read')!;
    expect(read.locks).toEqual([]); // a read grant takes no lock
  });

  it('ci-policies: the CI user applies services/*/terraform.tfstate through terraform-remote-state-s3 (stacks/ci-policies.ts)', () => {
    const view = views(synthesized((app) => new CiPoliciesStack(app), 'ci-policies')).get('user aws ci')!;
    expect(recovered(view)).toEqual(expected('apply', [{ key: 'services/*/terraform.tfstate', workspaces: [] }]));
  });

  it('no view for principals without a state-access policy', () => {
    const stack = roleStack({
      inline: [
        {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'S3List', Action: 's3:ListBucket', Effect: 'Allow', Resource: BUCKET },
            { Sid: 'Other', Action: 's3:GetObject', Effect: 'Allow', Resource: `${BUCKET}/*` },
          ],
        },
      ],
    });
    expect(views(stack).size).toBe(0);
  });

  it('another policy of the principal that may write a planned state makes it an apply', () => {
    const policy = statePermissionsPolicy({ stateBucketArn: BUCKET, lockTableArn: TABLE, canPlan: [{ key: 'k', workspaces: [] }] });
    const extra = { Version: '2012-10-17', Statement: [{ Action: 's3:PutObject', Effect: 'Allow' as const, Resource: `${BUCKET}/*` }] };
    expect(
      views(roleStack({ inline: [policy] }))
        .get('role aws app')![0]
        .grants.map((g) => g.level),
    ).toEqual(['plan']);
    expect(
      views(roleStack({ inline: [policy, extra] }))
        .get('role aws app')![0]
        .grants.map((g) => g.level),
    ).toEqual(['apply']);
  });

  // Against the module itself: random grants without wildcards, so that each state object is one path.
  // For every level, the paths the view finds are exactly the paths of the grants of that level (a path
  // of two levels counts at the higher one), and its recovered grants cover those paths again.
  it('recovers the paths of every level from statePermissionsPolicy (fast-check)', () => {
    const grant = fc
      .record(
        {
          key: fc.constantFrom('terraform.tfstate', 'app/terraform.tfstate', 'net.tfstate'),
          workspaceKeyPrefix: fc.constantFrom('env:', 'ws', 'team/ws'),
          workspaces: fc.uniqueArray(fc.constantFrom('dev', 'prod', 'test'), { maxLength: 3 }),
          allowDefaultWorkspace: fc.boolean(),
        },
        { requiredKeys: ['key', 'workspaces', 'allowDefaultWorkspace'] },
      )
      .filter((g) => g.allowDefaultWorkspace || g.workspaces.length > 0);
    const grants = fc.array(grant, { maxLength: 3 });
    fc.assert(
      fc.property(grants, grants, grants, fc.constantFrom('table', 'lockfile', 'both'), (canApply, canPlan, canRead, locking) => {
        fc.pre(canApply.length + canPlan.length + canRead.length > 0);
        const policy = statePermissionsPolicy({
          stateBucketArn: BUCKET,
          ...(locking !== 'lockfile' && { lockTableArn: TABLE }),
          useLockfile: locking !== 'table',
          canApply,
          canPlan,
          canRead,
        });
        const view = views(roleStack({ inline: [policy] })).get('role aws app')![0];
        const pathsOf = (list: StateAccessGrant[]) => new Set(list.flatMap((g) => statePaths(normalizeGrant(g))));
        const apply = pathsOf(canApply);
        const plan = new Set([...pathsOf(canPlan)].filter((p) => !apply.has(p)));
        const read = new Set([...pathsOf(canRead)].filter((p) => !apply.has(p) && !plan.has(p)));
        const found = (level: string) =>
          view.paths
            .filter((p) => p.level === level)
            .map((p) => p.path)
            .sort();
        expect(found('apply')).toEqual([...apply].sort());
        expect(found('plan')).toEqual([...plan].sort());
        expect(found('read')).toEqual([...read].sort());
        for (const level of ['apply', 'plan', 'read'] as const) {
          const again = view.grants.filter((g) => g.level === level).flatMap((g) => statePaths(g));
          expect(new Set(again)).toEqual(new Set(found(level)));
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
