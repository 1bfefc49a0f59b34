// Issue 15, class 4: attributes that decide access without being grants. A role's or user's path (policies
// name principals by path), tags (aws:PrincipalTag, aws:ResourceTag), a policy's Version (which decides
// whether ${aws:username} is a variable) and the role behind an instance profile are compared; a change
// that can widen is reported as widening.
import { diffLines, diffOf, doc, exitCodeOf, read, type Resources, roleResources, stackJson } from './crafted-stacks';

const READ = doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::data/*' });

const verdict = (before: unknown, after: unknown) => {
  const d = diffOf(before, after);
  return { widens: d.widens, exit: exitCodeOf(d), lines: diffLines(d) };
};

/** A stack of role `app` with `role` arguments merged in. */
const roleWith = (role: Record<string, unknown>, providers?: Record<string, unknown>[]) => {
  const resources = roleResources({ name: 'app', inline: [READ] });
  resources.aws_iam_role.role_app = { ...resources.aws_iam_role.role_app, ...role };
  return stackJson(resources, providers);
};

describe('path', () => {
  it('a role moved to another path widens (exit 1); the same path written as the default shows nothing', () => {
    const moved = verdict(roleWith({}), roleWith({ path: '/deploy/' }));
    expect(moved.lines).toEqual(['WIDENS role aws app: path changed from / to /deploy/: a policy that names roles by path (…:role/deploy/*) may now match it']);
    expect(moved.exit).toBe(1);
    expect(verdict(roleWith({}), roleWith({ path: '/' })).lines).toEqual([]);
    expect(verdict(roleWith({ path: '/deploy/' }), roleWith({ path: '/deploy/' })).lines).toEqual([]);
  });

  it("a user's too", () => {
    const user = (path?: string) => stackJson({ aws_iam_user: { u: { name: 'alice', ...(path !== undefined && { path }) } } });
    expect(verdict(user('/a/'), user('/b/')).lines).toEqual(['WIDENS user aws alice: path changed from /a/ to /b/: a policy that names users by path (…:user/b/*) may now match it']);
  });
});

describe('tags', () => {
  it('a tag added, changed or removed widens, each named', () => {
    expect(verdict(roleWith({ tags: { team: 'web' } }), roleWith({ tags: { team: 'admin', env: 'prod' } })).lines).toEqual([
      'WIDENS role aws app: tag env added (env=prod): conditions on aws:PrincipalTag/env or aws:ResourceTag/env may now match',
      'WIDENS role aws app: tag team changed from web to admin: conditions on aws:PrincipalTag/team or aws:ResourceTag/team may now match',
    ]);
    expect(verdict(roleWith({ tags: { team: 'web' } }), roleWith({})).lines).toEqual([
      'WIDENS role aws app: tag team removed (was team=web): conditions on aws:PrincipalTag/team or aws:ResourceTag/team may now match',
    ]);
  });

  it("the provider's default_tags are the role's too (the role's own win); the same tags written otherwise show nothing", () => {
    const tagged = (defaults: Record<string, string>, own: Record<string, string> = {}) => roleWith({ tags: own }, [{ region: 'eu-west-1', default_tags: [{ tags: defaults }] }]);
    expect(read(tagged({ team: 'web', env: 'dev' }, { team: 'api' })).subjects[0].tags).toEqual({ env: 'dev', team: 'api' });
    expect(verdict(tagged({ env: 'dev' }), tagged({ env: 'prod' })).widens).toBe(true);
    expect(verdict(tagged({ env: 'dev' }, { team: 'api' }), roleWith({ tags: { team: 'api', env: 'dev' } })).lines).toEqual([]);
  });

  it('tags built from a reference: compared by what they are built from', () => {
    const fromVariable = (value: string) => ({ ...roleWith({ tags: '${var.tags}' }), variable: { tags: { default: { team: value } } } });
    expect(verdict(fromVariable('web'), fromVariable('admin')).widens).toBe(true);
  });
});

describe('Version', () => {
  const home = (version?: string) => {
    const policy = { ...(version !== undefined && { Version: version }), Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::home/$${aws:username}/*' }] };
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy = { p: { name: 'home', role: '${aws_iam_role.role_app.name}', policy: JSON.stringify(policy) } };
    return stackJson(resources);
  };

  it('2008-10-17 reads ${aws:username} as literal text: the grant is of that literal object key', () => {
    const [policy] = read(home('2008-10-17')).subjects[0].policies;
    expect(policy.document!.Statement[0].Resource).toBe('arn:aws:s3:::home/${$}{aws:username}/*');
    // No Version is 2008-10-17.
    expect(read(home()).subjects[0].policies[0].document!.Statement[0].Resource).toBe('arn:aws:s3:::home/${$}{aws:username}/*');
  });

  it('to 2012-10-17: the literal becomes a variable, which widens (exit 1), and says why', () => {
    const changed = verdict(home('2008-10-17'), home('2012-10-17'));
    expect(changed.lines).toContain('WIDENS role aws app: added permissions Allow s3:getobject (more resources)');
    expect(changed.lines).toContain('WIDENS role aws app: policy inline home: Version changed from 2008-10-17 to 2012-10-17: ${…} in it is now a policy variable (was literal text)');
    expect(changed.exit).toBe(1);
    // And back: the variable becomes a literal key, which some user could not reach before.
    expect(verdict(home('2012-10-17'), home()).lines).toContain(
      'WIDENS role aws app: policy inline home: Version changed from 2012-10-17 to (none, read as 2008-10-17): ${…} in it is now literal text (was a policy variable)',
    );
  });

  it('a Version changed in a policy without ${…}, or 2008-10-17 written as no Version: nothing', () => {
    const plain = (version?: string) => {
      const resources = roleResources({ name: 'app' });
      resources.aws_iam_role_policy = {
        p: { name: 'p', role: '${aws_iam_role.role_app.name}', policy: JSON.stringify({ ...(version !== undefined && { Version: version }), Statement: [READ.Statement[0]] }) },
      };
      return stackJson(resources);
    };
    expect(verdict(plain('2008-10-17'), plain('2012-10-17')).lines).toEqual([]);
    expect(verdict(home('2008-10-17'), home()).lines).toEqual([]);
  });
});

describe('instance profiles', () => {
  const roles = (profiles: Resources['aws_iam_instance_profile']) => {
    const resources: Resources = { ...roleResources({ name: 'a' }) };
    const b = roleResources({ name: 'b' });
    resources.aws_iam_role = { ...resources.aws_iam_role, ...b.aws_iam_role };
    resources.aws_iam_instance_profile = profiles;
    return stackJson(resources);
  };

  it('the role behind an existing instance profile changed: the new role widens (exit 1)', () => {
    const changed = verdict(roles({ p: { name: 'web', role: '${aws_iam_role.role_a.name}' } }), roles({ p: { name: 'web', role: '${aws_iam_role.role_b.name}' } }));
    expect(changed.lines).toEqual([
      'narrows role aws a: no longer in instance profile web',
      'WIDENS role aws b: now the role of instance profile web, which held role a: whatever runs with web, instances already running included, gets its permissions',
    ]);
    expect(changed.exit).toBe(1);
  });

  it('a role put into a profile that had none: widens', () => {
    expect(verdict(roles({ p: { name: 'web' } }), roles({ p: { name: 'web', role: '${aws_iam_role.role_a.name}' } })).lines).toEqual([
      'WIDENS role aws a: now the role of instance profile web, which held no role: whatever runs with web, instances already running included, gets its permissions',
    ]);
  });

  it('a new instance profile (launching with it takes iam:PassRole), a role taken out, a profile renamed by construct id: nothing widens', () => {
    expect(verdict(roles({}), roles({ p: { name: 'web', role: '${aws_iam_role.role_a.name}' } }))).toEqual({
      widens: false,
      exit: 0,
      lines: ['narrows role aws a: now in new instance profile web (launching with it takes iam:PassRole on this role)'],
    });
    expect(verdict(roles({ p: { name: 'web', role: '${aws_iam_role.role_a.name}' } }), roles({ p: { name: 'web' } })).widens).toBe(false);
    expect(verdict(roles({ p: { name: 'web', role: '${aws_iam_role.role_a.name}' } }), roles({ q: { name: 'web', role: '${aws_iam_role.role_a.name}' } })).lines).toEqual([]);
  });
});
