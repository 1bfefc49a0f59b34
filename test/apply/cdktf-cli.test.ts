/**
 * The README's "Deploying" section, done as a user would: `npm run cdktf -- deploy state-access-simple`, then
 * `npm run cdktf -- destroy state-access-simple`, through the cdktf CLI (which synthesizes, then runs
 * terraform init, plan and apply itself), against a moto_server of the test's own on loopback.
 *
 * The project is copied to a temporary folder (its synth inputs, with node_modules as links to the project's
 * packages: test/support/aws-lab/cdktf-cli-lab.ts), so the stack's local backend,
 * `terraform.state-access-simple.tfstate` in the project root, is written in the copy.
 *
 * Nothing synthesized is edited or overridden: the provider reaches moto through the environment alone, the
 * way a user points it elsewhere. The environment is built from nothing (no inherited AWS_*, TF_* or npm_*
 * variable) and holds:
 * - `AWS_ENDPOINT_URL`: the endpoint of every service. hashicorp/aws 5.100.0 honours it, and the
 *   service-specific `AWS_ENDPOINT_URL_<SERVICE>` (<SERVICE> the AWS SDK for Go v2 serviceID, upper case:
 *   `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS`), which win over it: "Custom Service Endpoint
 *   Configuration", section "Getting Started with Custom Endpoints",
 *   https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints.
 *   Checked by running 5.100.0 against moto: AWS_ENDPOINT_URL alone, or AWS_ENDPOINT_URL_IAM with
 *   AWS_ENDPOINT_URL_STS, reach moto for everything this stack needs; AWS_ENDPOINT_URL_IAM alone does not
 *   (the provider validates its credentials with sts:GetCallerIdentity first, at sts.<region>.amazonaws.com);
 *   the older AWS_IAM_ENDPOINT and AWS_STS_ENDPOINT still work, with a "Deprecated Environment Variable" warning;
 * - `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`: static credentials, provider docs "Environment
 *   Variables", https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs#environment-variables.
 *   moto answers for its default account to keys it does not know. No AWS_REGION: the stack sets its region;
 * - `TF_CLI_CONFIG_FILE`: a CLI configuration whose `provider_installation { filesystem_mirror }` installs
 *   hashicorp/aws from the local mirror (test/support/terraform-cli.ts `providerMirror`), nothing from the
 *   network;
 * - `CHECKPOINT_DISABLE=1`, `DISABLE_VERSION_CHECK=1` (the npm script sets them too) and
 *   `npm_config_update_notifier=false` (else npm itself asks the registry for a newer npm);
 * - HOME: a temporary folder (cdktf creates ~/.terraform.d/plugin-cache there and points TF_PLUGIN_CACHE_DIR
 *   at it; npm writes its logs there).
 *
 * The deploy passes `--skip-provider-lock`: without a lock file, cdktf runs `terraform providers lock
 * -platform=linux_amd64` after `terraform init`, and that command asks the origin registry whatever the CLI
 * configuration's provider_installation says, so from a mirror, offline, it fails ("Could not retrieve
 * providers for locking"). The destroy needs no flag: the deploy's init wrote the lock file.
 *
 * Then what moto holds (the role, its trust policy, its inline and attached policies, and that there is
 * nothing else) is read back through moto's IAM API and compared, parsed, with the documents of
 * `cdktf.out/stacks/state-access-simple/cdk.tf.json` the deploy synthesized; after the destroy, moto's IAM
 * must hold nothing (AWS's managed policies are not loaded) and the state file nothing.
 * Without terraform, moto_server, npm or a provider mirror the test fails saying what to install.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { MIRROR_INSTALL, mirrorVersions } from '../support/aws-lab/apply-lab';
import {
  callerAccount,
  cliExcerpt,
  type CliRun,
  expectedIamModel,
  iamModel,
  type IamModel,
  mirrorCliConfig,
  projectCopy,
  type ProjectCopy,
  removeCopy,
  runCdktf,
  satisfiesStackConstraint,
  type SynthesizedStack,
  stateAddresses,
} from '../support/aws-lab/cdktf-cli-lab';
import { type MotoServer, startMoto } from '../support/aws-lab/moto';
import { requireTool, TERRAFORM_INSTALL } from '../support/aws-lab/tools';
import { recordFigure } from '../support/figures';
import { providerMirror } from '../support/terraform-cli';

jest.setTimeout(150_000);

const ROOT = join(__dirname, '..', '..');
const STACK = 'state-access-simple';
/** Each CLI run is killed after this long (a deploy takes ~10 s on an idle 2-core machine). */
const CLI_TIMEOUT_MS = 120_000;
const EMPTY: IamModel = { roles: {}, policies: {}, others: [] };

let copy: ProjectCopy;
let moto: MotoServer | undefined;
let env: Record<string, string>;
const started = Date.now();
const seconds: Record<string, number> = {};
let deployed: CliRun | undefined;
let objectsApplied = 0;
/** What each test established, for the summary line: a destroy after a failed deploy proves nothing. */
const passed = { deploy: false, readBack: false, destroy: false };

const stackDir = () => join(copy.project, 'cdktf.out', 'stacks', STACK);
const stateFile = () => join(copy.project, `terraform.${STACK}.tfstate`);
const synthesized = () => JSON.parse(readFileSync(join(stackDir(), 'cdk.tf.json'), 'utf8')) as SynthesizedStack;

beforeAll(async () => {
  requireTool('terraform', TERRAFORM_INSTALL);
  requireTool('npm', 'install Node.js with npm (the README runs the cdktf CLI as `npm run cdktf`)');
  const mirror = providerMirror();
  if (mirror === undefined) throw new Error(`No AWS provider mirror (TF_AWS_PROVIDER_MIRROR or /opt/tf-plugins): ${MIRROR_INSTALL}`);
  const versions = mirrorVersions(mirror);
  if (!versions.some(satisfiesStackConstraint))
    throw new Error(`The mirror ${mirror} holds hashicorp/aws ${versions.join(', ') || 'no version'}, none within the stacks' >= 5.99.1, < 7.0.0: ${MIRROR_INSTALL}`);
  copy = projectCopy(ROOT);
  writeFileSync(join(copy.home, 'terraformrc'), mirrorCliConfig(mirror));
  moto = await startMoto();
  env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: copy.home,
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: '1',
    npm_config_update_notifier: 'false',
    TF_CLI_CONFIG_FILE: join(copy.home, 'terraformrc'),
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL: moto.endpoint,
  };
});

afterAll(async () => {
  const total = (Date.now() - started) / 1000;
  const all = passed.deploy && passed.readBack && passed.destroy;
  if (all) recordFigure('stacks deployed and destroyed through the cdktf CLI against moto', 1);
  process.stdout.write(
    `cdktf deploy/destroy ${STACK}: ${passed.deploy ? `${objectsApplied} objects applied` : 'NOT DEPLOYED'}, ` +
      `${passed.readBack ? 'read back equal' : 'NOT READ BACK EQUAL'}, ${passed.destroy ? 'destroyed clean' : 'NOT DESTROYED CLEAN'} ` +
      `(${total.toFixed(0)} s: deploy ${seconds.deploy?.toFixed(0) ?? '-'} s, destroy ${seconds.destroy?.toFixed(0) ?? '-'} s)\n`,
  );
  await moto?.stop();
  if (copy === undefined) return;
  // CDKTF_CLI_TEST_KEEP=1 keeps the copy (state, cdktf.out, home) to look at.
  if (process.env.CDKTF_CLI_TEST_KEEP === undefined) removeCopy(copy);
  else process.stdout.write(`cdktf CLI test: the copy is kept in ${copy.work}\n`);
});

it(`deploys ${STACK} with \`npm run cdktf -- deploy ${STACK} --auto-approve --skip-provider-lock\`, the provider pointed at moto by the environment alone`, async () => {
  expect(await iamModel(moto!.endpoint)).toEqual(EMPTY);
  deployed = await runCdktf(copy.project, ['deploy', STACK, '--auto-approve', '--skip-provider-lock'], env, CLI_TIMEOUT_MS);
  seconds.deploy = deployed.seconds;
  expect({ code: deployed.code, output: cliExcerpt(deployed.output) }).toEqual({ code: 0, output: expect.stringContaining('Apply complete!') });

  // The stack's local backend: the path in the synthesized JSON, relative to the stack's folder, is the
  // project root's terraform.<stack>.tfstate; the state is there and nowhere else.
  const stack = synthesized();
  expect(resolve(stackDir(), stack.terraform?.backend?.local?.path ?? '(none)')).toBe(stateFile());
  expect(existsSync(join(stackDir(), 'terraform.tfstate'))).toBe(false);
  const declared = Object.entries(stack.resource ?? {})
    .flatMap(([type, blocks]) => Object.keys(blocks).map((name) => `${type}.${name}`))
    .sort();
  expect(stateAddresses(stateFile())).toEqual(declared);
  objectsApplied = declared.length;
  expect(objectsApplied).toBeGreaterThan(0);
  passed.deploy = true;
});

it("holds in moto exactly the role, trust policy and policies of the deploy's synthesized cdk.tf.json", async () => {
  if (deployed?.code !== 0) throw new Error('the deploy failed: nothing to read back');
  const account = await callerAccount(moto!.endpoint);
  const expected = expectedIamModel(synthesized(), account);
  expect(Object.keys(expected.roles).length).toBeGreaterThan(0);
  expect(await iamModel(moto!.endpoint)).toEqual(expected);
  passed.readBack = true;
});

it(`destroys ${STACK} with \`npm run cdktf -- destroy ${STACK} --auto-approve\`, leaving nothing in moto and no resource in its state file`, async () => {
  const destroyed = await runCdktf(copy.project, ['destroy', STACK, '--auto-approve'], env, CLI_TIMEOUT_MS);
  seconds.destroy = destroyed.seconds;
  expect({ code: destroyed.code, output: cliExcerpt(destroyed.output) }).toEqual({ code: 0, output: expect.stringContaining('Destroy complete!') });
  expect(await iamModel(moto!.endpoint)).toEqual(EMPTY);
  expect({ [stateFile()]: existsSync(stateFile()) && statSync(stateFile()).isFile() }).toEqual({ [stateFile()]: true });
  expect(stateAddresses(stateFile())).toEqual([]);
  // Run even after a failed deploy (it cleans up), it proves something only after a successful one.
  expect({ deployed: passed.deploy }).toEqual({ deployed: true });
  passed.destroy = true;
});
