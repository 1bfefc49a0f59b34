/**
 * `terraform-modules/service-control-policy/`, `permissions-boundary/` and `s3-bucket-policy/`: each
 * committed folder is its generator's output; its blocks are the AWS provider's as @cdktf/provider-aws
 * knows them (`terraform validate` needs the provider, which the tests cannot download: see
 * test/support/provider-schema.ts) and mirror what its construct synthesizes; and its variables' validation
 * blocks, which need no provider, accept under the real terraform CLI the Example Corp policies the
 * constructs accept, and reject what the constructs reject, each with the message of its rule.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { PolicyDocument } from '../../../modules/core/policy-document';
import { POLICY_SIZE_LIMITS } from '../../../modules/core/policy-kind';
import { BucketPolicy, DATA_LAKE_ACKNOWLEDGED, dataLakeBucketPolicy, exampleCorpBoundary, exampleCorpScp, PermissionsBoundary, ServiceControlPolicy } from '../../../modules/policy-types';
import { PERMISSIONS_BOUNDARY_MODULE_DIR, PERMISSIONS_BOUNDARY_VARIABLES, permissionsBoundaryModuleFiles } from '../../../modules/policy-types/terraform-permissions-boundary';
import { S3_BUCKET_POLICY_MODULE_DIR, S3_BUCKET_POLICY_VARIABLES, s3BucketPolicyModuleFiles } from '../../../modules/policy-types/terraform-s3-bucket-policy';
import { SERVICE_CONTROL_POLICY_MODULE_DIR, SERVICE_CONTROL_POLICY_VARIABLES, serviceControlPolicyModuleFiles } from '../../../modules/policy-types/terraform-service-control-policy';
import type { VariableDefinition } from '../../../modules/private/terraform-module-files';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { mirrorFindings, moduleSchemaFindings } from '../../support/provider-schema';
import { synth } from '../../support/synth';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot, writeHclFile } from '../../support/terraform-cli';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');

const SCP = exampleCorpScp();
const BOUNDARY = exampleCorpBoundary();
const BUCKET_POLICY = dataLakeBucketPolicy({ bucket: 'data-lake-bucket' });

/** Whether building `build` at synth fails. */
function rejected(build: Parameters<typeof synth>[0]): boolean {
  try {
    synth(build);
    return false;
  } catch {
    return true;
  }
}

/** A module of `variables.tf.json` alone (and a json output for the runner): it needs no provider. */
function variablesOnly(files: Record<string, string>, dir: string): string {
  const module = mkdtempSync(join(tmpdir(), 'policy-type-variables-'));
  writeHclFile(module, files, `${dir}/variables.tf.json`);
  writeFileSync(join(module, 'outputs.tf.json'), JSON.stringify({ output: { json: { value: 'planned' } } }));
  return module;
}

interface Case {
  /** The module's arguments. */
  readonly config: Record<string, unknown>;
  /** The message of the rule it breaks. */
  readonly message: string;
  /** The construct given the same input: it must fail at synth. */
  readonly construct: Parameters<typeof synth>[0];
}

/**
 * The tests of one module: generated folder, schema, mirror of the construct, and its validation planned
 * for `accepted` (configurations the construct accepts too) and `rejected` cases, planned in the groups
 * given (terraform skips a variable's rules when a variable they read failed, in every instance).
 */
function describeModule(spec: {
  dir: string;
  files: () => Record<string, string>;
  variables: readonly VariableDefinition[];
  construct: Parameters<typeof synth>[0];
  extras?: Record<string, readonly string[]>;
  accepted: Record<string, Record<string, unknown>>;
  rejected: (message: (name: string, index?: number) => string) => Record<string, Case>[];
}) {
  const files = spec.files();
  const read = (name: string) => JSON.parse(files[`${spec.dir}/${name}`]);
  const message = (name: string, index = 0) => spec.variables.find((v) => v.name === name)!.validations[index].error_message;

  describe(`generated folder ${spec.dir}`, () => {
    it('is what `npm run modules` writes, the same bytes on every run', () => {
      expectCommittedFolder(ROOT, spec.dir, files);
      expect(spec.files()).toEqual(files);
    });

    it("asks for a provider version range, never a pin, configures no provider or backend, and uses only the provider schema's arguments and attributes", () => {
      expect(read('versions.tf.json').terraform.required_providers.aws.version).toMatch(/^>= /);
      for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|backend)"\s*:/);
      expect(moduleSchemaFindings(files, spec.dir, ROOT)).toEqual([]);
    });

    it('creates what the construct creates, with every argument it writes', () => {
      const out = synth(spec.construct);
      expect(mirrorFindings(out.resource as never, read('main.tf.json').resource, spec.extras)).toEqual([]);
      const constructOutputs = Object.keys(out.output ?? {});
      expect(Object.keys(read('outputs.tf.json').output)).toEqual(expect.arrayContaining(constructOutputs));
    });
  });

  describe(`${spec.dir}'s variables with the terraform CLI`, () => {
    let module: string;
    let root: ModuleCallRoot;

    beforeAll(async () => {
      module = variablesOnly(files, spec.dir);
      root = new ModuleCallRoot(
        requireTool('terraform', TERRAFORM_INSTALL),
        module,
        ModuleCallRoot.arguments(
          [],
          spec.variables.map((v) => v.name),
        ),
      );
      await root.init();
    });

    afterAll(() => {
      root?.remove();
      if (module !== undefined) rmSync(module, { recursive: true, force: true });
    });

    it('accepts the policies the construct accepts', async () => {
      const output = await root.plan(spec.accepted);
      expect(output).not.toMatch(/Error/);
      expect(output).toContain('planned');
    });

    it('rejects what the construct rejects, each with the message of its rule', async () => {
      for (const group of spec.rejected(message)) {
        for (const [name, c] of Object.entries(group)) expect({ name, rejectedByConstruct: rejected(c.construct) }).toEqual({ name, rejectedByConstruct: true });
        await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(group).map(([name, c]) => [name, [c.config, c.message] as const])));
      }
    });
  });
}

const text = (doc: PolicyDocument) => JSON.stringify(doc);
/** `doc` with a statement property set on its first statement. */
const withStatement = (doc: PolicyDocument, extra: Record<string, unknown>): PolicyDocument => ({ ...doc, Statement: [{ ...doc.Statement[0], ...extra }, ...doc.Statement.slice(1)] });
/** `doc` one character (of ASCII JSON) over `limit`, by a long Sid on its first statement. */
function oversized(doc: PolicyDocument, limit: number): PolicyDocument {
  const base = withStatement(doc, { Sid: 'S' });
  return withStatement(doc, { Sid: 'S'.repeat(1 + limit + 1 - text(base).length) });
}

describeModule({
  dir: SERVICE_CONTROL_POLICY_MODULE_DIR,
  files: serviceControlPolicyModuleFiles,
  variables: SERVICE_CONTROL_POLICY_VARIABLES,
  construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'deny', description: 'Example Corp', document: SCP, targets: ['r-ab12', 'ou-ab12-cd34ef56', '123456789012'] }),
  accepted: {
    example_corp: { name: 'ServiceControlPolicy', description: 'Example Corp', policy: text(SCP), targets: { root: 'r-ab12', ou: 'ou-ab12-cd34ef56', account: '123456789012' } },
    pretty: { name: 'n'.repeat(128), policy: JSON.stringify(SCP, null, 2) },
  },
  rejected: (message) => [
    {
      no_name: { config: { name: '', policy: text(SCP) }, message: message('name'), construct: (s) => new ServiceControlPolicy(s, 'scp', { name: '', document: SCP }) },
      long_description: {
        config: { name: 'n', description: 'd'.repeat(513), policy: text(SCP) },
        message: message('description'),
        construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'n', description: 'd'.repeat(513), document: SCP }),
      },
      principal: {
        config: { name: 'n', policy: text(withStatement(SCP, { Principal: '*' })) },
        message: message('policy', 3),
        construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'n', document: withStatement(SCP, { Principal: '*' }) }),
      },
      too_large: {
        config: { name: 'n', policy: text(oversized(SCP, POLICY_SIZE_LIMITS['service-control'].limit)) },
        message: message('policy', 2),
        construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'n', document: oversized(SCP, POLICY_SIZE_LIMITS['service-control'].limit) }),
      },
      bad_target: {
        config: { name: 'n', policy: text(SCP), targets: { a: 'ou-ab12' } },
        message: message('targets'),
        construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'n', document: SCP, targets: ['ou-ab12'] }),
      },
      target_twice: {
        config: { name: 'n', policy: text(SCP), targets: { a: 'r-ab12', b: 'r-ab12' } },
        message: message('targets', 1),
        construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'n', document: SCP, targets: ['r-ab12', 'r-ab12'] }),
      },
      character: {
        config: { name: 'n', policy: text(withStatement(SCP, { Sid: 'Deny✓' })) },
        message: message('policy', 1),
        construct: (s) => new ServiceControlPolicy(s, 'scp', { name: 'n', document: withStatement(SCP, { Sid: 'Deny✓' }) }),
      },
    },
  ],
});

describeModule({
  dir: PERMISSIONS_BOUNDARY_MODULE_DIR,
  files: permissionsBoundaryModuleFiles,
  variables: PERMISSIONS_BOUNDARY_VARIABLES,
  construct: (s) => new PermissionsBoundary(s, 'boundary', { name: 'PermissionsBoundary', path: '/boundaries/', description: 'Example Corp', document: BOUNDARY, acknowledge: ['WILDCARD_RESOURCE'] }),
  accepted: {
    example_corp: { name: 'PermissionsBoundary', path: '/boundaries/', description: 'Example Corp', policy: text(BOUNDARY) },
    // The minified JSON fits the 6,144 characters of a managed policy; the text as written does not.
    white_space: { name: 'PermissionsBoundary', policy: `${' '.repeat(7_000)}${text(BOUNDARY)}` },
  },
  rejected: (message) => {
    const boundary = (props: Partial<ConstructorParameters<typeof PermissionsBoundary>[2]>) => (s: Parameters<Parameters<typeof synth>[0]>[0]) =>
      new PermissionsBoundary(s, 'boundary', { name: 'PermissionsBoundary', document: BOUNDARY, acknowledge: ['WILDCARD_RESOURCE'], ...props });
    return [
      {
        bad_name: { config: { name: 'Permissions Boundary', policy: text(BOUNDARY) }, message: message('name'), construct: boundary({ name: 'Permissions Boundary' }) },
        bad_path: { config: { name: 'b', path: 'boundaries', policy: text(BOUNDARY) }, message: message('path'), construct: boundary({ path: 'boundaries' }) },
        not_json: { config: { name: 'b', policy: '{"Version":"2012-10-17"}' }, message: message('policy'), construct: boundary({ document: { Version: '2012-10-17' } as PolicyDocument }) },
        too_large: {
          config: { name: 'b', policy: text(oversized(BOUNDARY, POLICY_SIZE_LIMITS.managed.limit)) },
          message: message('policy', 2),
          construct: boundary({ document: oversized(BOUNDARY, POLICY_SIZE_LIMITS.managed.limit) }),
        },
        principal: {
          config: { name: 'b', policy: text(withStatement(BOUNDARY, { Principal: '*' })) },
          message: message('policy', 3),
          construct: boundary({ document: withStatement(BOUNDARY, { Principal: '*' }) }),
        },
      },
    ];
  },
});

const otherBucket = (doc: PolicyDocument) => withStatement(doc, { Resource: ['arn:aws:s3:::data-lake-bucket/*', 'arn:aws:s3:::other-bucket/*'] });

describeModule({
  dir: S3_BUCKET_POLICY_MODULE_DIR,
  files: s3BucketPolicyModuleFiles,
  variables: S3_BUCKET_POLICY_VARIABLES,
  construct: (s) => new BucketPolicy(s, 'bucket', { bucket: 'data-lake-bucket', document: BUCKET_POLICY, account: '222222222222', acknowledge: DATA_LAKE_ACKNOWLEDGED }),
  accepted: {
    example_corp: { bucket: 'data-lake-bucket', policy: text(BUCKET_POLICY), account: '222222222222', acknowledge: DATA_LAKE_ACKNOWLEDGED },
    china: { bucket: 'data.lake', partition: 'aws-cn', policy: text(dataLakeBucketPolicy({ bucket: 'data.lake', partition: 'aws-cn' })) },
    // One statement, as an object rather than a list, naming the bucket itself.
    one_statement: { bucket: 'data-lake-bucket', policy: JSON.stringify({ Version: '2012-10-17', Statement: { ...BUCKET_POLICY.Statement[0], Resource: 'arn:aws:s3:::data-lake-bucket' } }) },
  },
  rejected: (message) => {
    const bucket = (name: string, doc: PolicyDocument) => (s: Parameters<Parameters<typeof synth>[0]>[0]) => new BucketPolicy(s, 'bucket', { bucket: name, document: doc });
    const noPrincipal = withStatement(BUCKET_POLICY, { Principal: undefined });
    const groups: Record<string, Case>[] = [
      // The bucket's own rule, alone: the policy's rules read var.bucket and would be skipped.
      { bad_bucket: { config: { bucket: 'Data_Lake', policy: text(BUCKET_POLICY) }, message: message('bucket'), construct: bucket('Data_Lake', BUCKET_POLICY) } },
      {
        dot_dot: { config: { bucket: 'data..lake', policy: text(BUCKET_POLICY) }, message: message('bucket'), construct: bucket('data..lake', BUCKET_POLICY) },
      },
      {
        no_principal: { config: { bucket: 'data-lake-bucket', policy: text(noPrincipal) }, message: message('policy', 3), construct: bucket('data-lake-bucket', noPrincipal) },
        other_bucket: {
          config: { bucket: 'data-lake-bucket', policy: text(otherBucket(BUCKET_POLICY)) },
          message: message('policy', 4),
          construct: bucket('data-lake-bucket', otherBucket(BUCKET_POLICY)),
        },
        too_large: {
          config: { bucket: 'data-lake-bucket', policy: text(oversized(BUCKET_POLICY, POLICY_SIZE_LIMITS['s3-bucket'].limit)) },
          message: message('policy', 2),
          construct: bucket('data-lake-bucket', oversized(BUCKET_POLICY, POLICY_SIZE_LIMITS['s3-bucket'].limit)),
        },
        not_json: { config: { bucket: 'data-lake-bucket', policy: 'Statement' }, message: message('policy'), construct: bucket('data-lake-bucket', {} as PolicyDocument) },
      },
      {
        short_account: {
          config: { bucket: 'data-lake-bucket', policy: text(BUCKET_POLICY), account: '2222' },
          message: message('account'),
          construct: (s) => new BucketPolicy(s, 'bucket', { bucket: 'data-lake-bucket', document: BUCKET_POLICY, account: '2222', acknowledge: DATA_LAKE_ACKNOWLEDGED }),
        },
        reason_rule_by_name: {
          config: { bucket: 'data-lake-bucket', policy: text(BUCKET_POLICY), acknowledge: ['CROSS_ACCOUNT'] },
          message: 'acknowledge[0]: CROSS_ACCOUNT decides who may get in, and is accepted only with a reason a reviewer can read',
          construct: (s) => new BucketPolicy(s, 'bucket', { bucket: 'data-lake-bucket', document: BUCKET_POLICY, acknowledge: ['CROSS_ACCOUNT' as never] }),
        },
      },
    ];
    return groups;
  },
});
