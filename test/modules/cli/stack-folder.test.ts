import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { duplicateKey, loadedAs, readStackFolder } from '../../../modules/cli/stack-folder';

const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const STACK = {
  '//': { metadata: { stackName: 'team' } },
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: { aws_iam_role: { reader: { name: 'reader', assume_role_policy: '{}' } }, aws_iam_role_policy: { read: { name: 'read', role: 'reader', policy: policy('s3:GetObject') } } },
};

describe('a stack folder as Terraform reads it (modules/cli/stack-folder.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-folder-'));
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(STACK));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const read = (since?: number) => readStackFolder(dir, 'team', 'cdktf.out/stacks/team', since);

  it('names what Terraform and OpenTofu load, as they do: configuration, overrides, variable files; editor files not', () => {
    const table = Object.fromEntries(
      [
        'cdk.tf.json',
        'main.tf',
        'extra.tf.json',
        'override.tf',
        'override.tf.json',
        'backend_override.tf.json',
        'x_override.tf',
        'terraform.tfvars',
        'terraform.tfvars.json',
        'prod.auto.tfvars',
        'prod.auto.tfvars.json',
        'cdk.tofu',
        'cdk.tofu.json',
        '.hidden.tf',
        'main.tf~',
        '#main.tf#',
        'metadata.json',
        'plan',
        '.terraform.lock.hcl',
        'prod.tfvars',
        'test.tftest.hcl',
        'overrides.tf',
      ].map((name) => [name, loadedAs(name) ?? null]),
    );
    expect(table).toEqual({
      'cdk.tf.json': 'configuration',
      'main.tf': 'configuration',
      'extra.tf.json': 'configuration',
      'override.tf': 'override',
      'override.tf.json': 'override',
      'backend_override.tf.json': 'override',
      'x_override.tf': 'override',
      'terraform.tfvars': 'variables',
      'terraform.tfvars.json': 'variables',
      'prod.auto.tfvars': 'variables',
      'prod.auto.tfvars.json': 'variables',
      'cdk.tofu': 'opentofu',
      'cdk.tofu.json': 'opentofu',
      '.hidden.tf': null,
      'main.tf~': null,
      '#main.tf#': null,
      'metadata.json': null,
      plan: null,
      '.terraform.lock.hcl': null,
      'prod.tfvars': null,
      'test.tftest.hcl': null,
      'overrides.tf': 'configuration',
    });
  });

  it('only cdk.tf.json (and what Terraform does not load): read as it is, nothing unreviewed', () => {
    writeFileSync(join(dir, 'metadata.json'), '{}');
    writeFileSync(join(dir, '.terraform.lock.hcl'), '');
    mkdirSync(join(dir, '.terraform'));
    mkdirSync(join(dir, 'assets.tf')); // a folder: Terraform reads only the folder's own files
    const folder = read();
    expect(folder.unreviewed).toEqual([]);
    expect(folder.loaded).toEqual(['cdk.tf.json']);
    expect(folder.stack).toEqual({ stack: 'team', file: 'cdktf.out/stacks/team/cdk.tf.json', text: JSON.stringify(STACK) });
  });

  it('a further *.tf.json of resource and data blocks is merged in, as Terraform merges it', () => {
    const extra = { '//': 'a comment', resource: { aws_iam_role_policy: { sneaky: { name: 'sneaky', role: 'reader', policy: policy('iam:*') } } }, data: { aws_caller_identity: { me: {} } } };
    writeFileSync(join(dir, 'extra.tf.json'), JSON.stringify(extra));
    const folder = read();
    expect(folder.unreviewed).toEqual([]);
    expect(folder.loaded).toEqual(['cdk.tf.json', 'extra.tf.json']);
    expect(folder.stack.file).toBe('cdktf.out/stacks/team/cdk.tf.json (with cdktf.out/stacks/team/extra.tf.json merged in)');
    const merged = JSON.parse(folder.stack.text) as typeof STACK & { data: unknown };
    expect(Object.keys(merged.resource.aws_iam_role_policy)).toEqual(['read', 'sneaky']);
    expect(merged.data).toEqual({ aws_caller_identity: { me: {} } });
    expect(merged.provider).toEqual(STACK.provider);
  });

  it('anything else Terraform loads is unreviewed, each with why (and a file left from before the synth says so)', () => {
    const files: Record<string, string> = {
      'main.tf': 'resource "aws_iam_user" "x" {}',
      'backend_override.tf.json': JSON.stringify({ terraform: { backend: { local: {} } } }),
      'terraform.tfvars': 'x = 1',
      'cdk.tofu.json': JSON.stringify(STACK),
      'broken.tf.json': '{ not json',
      'module.tf.json': JSON.stringify({ module: { m: { source: './m' } } }),
      'array.tf.json': JSON.stringify({ resource: [{ aws_iam_user: { u: { name: 'u' } } }] }),
      'clash.tf.json': JSON.stringify({ resource: { aws_iam_role: { reader: { name: 'other' } } } }),
      'twice.tf.json': '{"resource": {"aws_iam_user": {"a": {"name": "a"}}}, "resource": {"aws_iam_user": {"b": {"name": "b"}}}}',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.tf.json'));
    const since = Date.now() + 5_000;
    utimesSync(join(dir, 'main.tf'), new Date(since - 10_000), new Date(since - 10_000));
    for (const name of Object.keys(files).filter((n) => n !== 'main.tf')) utimesSync(join(dir, name), new Date(since + 1_000), new Date(since + 1_000));
    const folder = read(since);
    const reasons = Object.fromEntries(folder.unreviewed.map((u) => [u.file.replace('cdktf.out/stacks/team/', ''), u.reason]));
    expect(Object.keys(reasons).sort()).toEqual([...Object.keys(files), 'dangling.tf.json'].sort());
    expect(reasons['main.tf']).toBe('a Terraform (HCL) file: the review reads JSON only (left in the folder from before this synth: remove it)');
    expect(reasons['backend_override.tf.json']).toMatch(/^an override file: Terraform merges it into the blocks of the folder's other files/);
    expect(reasons['terraform.tfvars']).toMatch(/^a variable definitions file/);
    expect(reasons['cdk.tofu.json']).toMatch(/^an OpenTofu file/);
    expect(reasons['broken.tf.json']).toMatch(/^not JSON \(/);
    expect(reasons['module.tf.json']).toBe('holds "module": the review merges only resource and data blocks');
    expect(reasons['array.tf.json']).toMatch(/^its resource is not an object of blocks/);
    expect(reasons['clash.tf.json']).toMatch(/^declares aws_iam_role\.reader, which the folder's other files declare too/);
    expect(reasons['twice.tf.json']).toBe('holds resource twice in one object: Terraform reads every copy, the review only the last');
    expect(reasons['dangling.tf.json']).toMatch(/^cannot be read/);
    // Nothing of them reaches the review: cdk.tf.json as it is.
    expect(folder.stack.text).toBe(JSON.stringify(STACK));
    expect(folder.loaded).toHaveLength(1 + Object.keys(files).length + 1);
  });

  it('cdk.tf.json holding a key twice is unreviewed too', () => {
    writeFileSync(join(dir, 'cdk.tf.json'), '{"resource": {"aws_iam_role": {"r": {"name": "r"}}}, "resource": {}}');
    expect(read().unreviewed).toEqual([
      { stack: 'team', file: 'cdktf.out/stacks/team/cdk.tf.json', reason: 'holds resource twice in one object: Terraform reads every copy, the review only the last' },
    ]);
  });

  it('duplicateKey: the path of the first key an object holds twice, through arrays and escapes, at any depth', () => {
    expect(duplicateKey('{"a": 1, "b": {"c": [1, {"d": 1, "e": "\\"d\\"", "d": 2}]}}')).toBe('b.c[].d');
    expect(duplicateKey('{"a": {"x": 1}, "b": {"x": 1}, "c": ["a", "a"]}')).toBeUndefined();
    expect(duplicateKey('{"k\\u0041": 1, "kA": 2}')).toBe('kA');
    expect(duplicateKey('[{"a": 1}, {"a": 1}]')).toBeUndefined();
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(duplicateKey(deep)).toBeUndefined();
  });
});
