/**
 * The generated Terraform module `terraform-modules/jets-deploy-policy/` against `jetsDeployPolicy`: the
 * committed folder is exactly the generator's output, and the real terraform CLI (no provider, offline)
 * renders the same JSON, byte for byte, for the seed's example and for random valid configurations, in one
 * `terraform init` and one `terraform apply` (one module call per configuration, `for_each`); and it rejects at
 * plan time, with the validation message of the broken rule, the bad inputs `jetsDeployPolicy` rejects.
 */
import fc from 'fast-check';
import { join } from 'path';
import { jetsDeployPolicy, type JetsDeployPolicyProps } from '../../../modules/deploy-group/jets-deploy-policy';
import { JETS_DEPLOY_POLICY_MODULE_DIR, JETS_DEPLOY_POLICY_VARIABLES, jetsDeployPolicyModuleFiles } from '../../../modules/deploy-group/terraform-jets-deploy-policy';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const RANDOM_CONFIGURATIONS = 80;
const SEED = 20261201;

describe('generated folder terraform-modules/jets-deploy-policy', () => {
  const files = jetsDeployPolicyModuleFiles();

  it('is what `npm run modules` writes (run it after changing modules/deploy-group/terraform-jets-deploy-policy.ts)', () => {
    expectCommittedFolder(ROOT, JETS_DEPLOY_POLICY_MODULE_DIR, files);
  });

  it('is the same bytes on every run, and needs no provider and no backend', () => {
    expect(jetsDeployPolicyModuleFiles()).toEqual(files);
    const versions = JSON.parse(files[`${JETS_DEPLOY_POLICY_MODULE_DIR}/versions.tf.json`]);
    expect(Object.keys(versions.terraform)).toEqual(['required_version']);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
  });
});

/** The module's arguments for `props`: snake_case, unset values left out. */
function moduleArguments(props: JetsDeployPolicyProps): Record<string, unknown> {
  return { prefix: props.prefix, ...(props.passRoleToServices !== undefined && { pass_role_to_services: props.passRoleToServices }) };
}

/** The policy `jetsDeployPolicy` renders, or undefined when it rejects the input. */
function expected(props: JetsDeployPolicyProps): string | undefined {
  try {
    return JSON.stringify(jetsDeployPolicy(props));
  } catch {
    return undefined;
  }
}

const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const service = fc.oneof(
  fc.constantFrom('lambda.amazonaws.com', 'apigateway.amazonaws.com', 'events.amazonaws.com', 'states.amazonaws.com', 'lambda.amazonaws.com.cn'),
  fc.array(label, { minLength: 2, maxLength: 4 }).map((parts) => parts.join('.')),
);
const configuration: fc.Arbitrary<JetsDeployPolicyProps> = fc
  .record({
    prefix: fc.oneof(fc.constantFrom('my-cool-prefix', 'demo', 'a', 'x-', 'a--b', `a${'b'.repeat(60)}`), fc.stringMatching(/^[a-z][a-z0-9-]{0,60}$/)),
    passRoleToServices: fc.option(fc.array(service, { minLength: 1, maxLength: 4 }), { nil: undefined }),
  })
  .map(({ prefix, passRoleToServices }) => ({ prefix, ...(passRoleToServices !== undefined && { passRoleToServices }) }));

describe('terraform-modules/jets-deploy-policy with the terraform CLI', () => {
  const samples = fc.sample(
    configuration.filter((props) => expected(props) !== undefined),
    { seed: SEED, numRuns: RANDOM_CONFIGURATIONS },
  );
  const configs: Record<string, JetsDeployPolicyProps> = {
    'seed-example': { prefix: 'my-cool-prefix' },
    'seed-example-scoped': { prefix: 'my-cool-prefix', passRoleToServices: ['lambda.amazonaws.com'] },
    ...Object.fromEntries(samples.map((props, i) => [`c${i}`, props])),
  };
  let root: ModuleCallRoot;
  const started = Date.now();

  beforeAll(async () => {
    root = new ModuleCallRoot(requireTool('terraform', TERRAFORM_INSTALL), join(ROOT, JETS_DEPLOY_POLICY_MODULE_DIR), ModuleCallRoot.arguments(['prefix'], ['pass_role_to_services']));
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (root !== undefined)
      process.stdout.write(
        `jets-deploy-policy: ${Object.keys(configs).length} configurations compared, bad inputs planned, in ${root.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
  });

  it(`renders the same JSON as jetsDeployPolicy for the seed's example and ${RANDOM_CONFIGURATIONS} random configurations (seed ${SEED})`, async () => {
    const policies = await root.policies(Object.fromEntries(Object.entries(configs).map(([n, p]) => [n, moduleArguments(p)])));
    expect(Object.keys(policies).sort()).toEqual(Object.keys(configs).sort());
    for (const [name, props] of Object.entries(configs)) expect({ name, props, json: policies[name] }).toEqual({ name, props, json: expected(props) });
  });

  it('rejects at plan time, each with the message of the rule it breaks, the bad inputs jetsDeployPolicy rejects', async () => {
    const messages = (name: string) => JETS_DEPLOY_POLICY_VARIABLES.find((v) => v.name === name)!.validations.map((v) => v.error_message);
    const [empty, wildcard, separator, characters, tooLong] = messages('prefix');
    const [noService, notAService] = messages('pass_role_to_services');
    const cases: Record<string, [JetsDeployPolicyProps, string]> = {
      empty: [{ prefix: '' }, empty],
      star: [{ prefix: 'my-*' }, wildcard],
      question: [{ prefix: 'a?' }, wildcard],
      colon: [{ prefix: 'a:b' }, separator],
      slash: [{ prefix: 'a/b' }, separator],
      upper: [{ prefix: 'MyPrefix' }, characters],
      digit_first: [{ prefix: '1abc' }, characters],
      too_long: [{ prefix: `a${'b'.repeat(61)}` }, tooLong],
      no_service: [{ prefix: 'ok', passRoleToServices: [] }, noService],
      wildcard_service: [{ prefix: 'ok', passRoleToServices: ['lambda.*'] }, notAService],
      bare_word: [{ prefix: 'ok', passRoleToServices: ['lambda'] }, notAService],
    };
    for (const [name, [props]] of Object.entries(cases)) expect({ name, rejectedByTypeScript: expected(props) === undefined }).toEqual({ name, rejectedByTypeScript: true });
    await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(cases).map(([name, [props, message]]) => [name, [moduleArguments(props), message] as const])));
  });

  it('was given enough distinct configurations, with and without pass_role_to_services', () => {
    expect(samples).toHaveLength(RANDOM_CONFIGURATIONS);
    expect(new Set(samples.map((p) => JSON.stringify(p))).size).toBeGreaterThan(RANDOM_CONFIGURATIONS * 0.9);
    expect(samples.filter((p) => p.passRoleToServices === undefined).length).toBeGreaterThan(10);
    expect(samples.filter((p) => (p.passRoleToServices?.length ?? 0) > 1).length).toBeGreaterThan(10);
    expect(samples.filter((p) => p.passRoleToServices?.length === 1).length).toBeGreaterThan(5);
  });
});
