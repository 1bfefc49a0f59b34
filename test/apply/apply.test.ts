/**
 * Every synthesized stack and every HCL example, applied for real: the AWS provider of the local mirror
 * (hashicorp/aws 5.100.0; an override sets the stacks' version constraint to it) against a moto_server of
 * the target's own on loopback, then `plan -detailed-exitcode` (no drift), every IAM object read back through
 * moto's API and compared (parsed JSON) with the synthesized document (for an example, the one Terraform
 * computed from the HCL), `destroy`, and every account listed again: nothing may be left.
 * test/support/aws-lab/apply-lab.ts does the work; each target is one `describe`, each check one test.
 *
 * What the copies are given, as override files (`zz_override.tf.json`; the synthesized JSON and the examples
 * are never edited):
 * - every `aws` provider configuration, aliases included, points at moto (iam, sts, s3, organizations,
 *   dynamodb, kms, ec2) with ONE set of credentials for the whole configuration: a user's of the account
 *   the configurations that assume no role are pinned to (`allowed_account_ids`), of 123456123456 (the
 *   project's example account) where none is pinned. `assume_role` and `allowed_account_ids` stay: moto's STS
 *   gives credentials of the role's account, and the provider checks `allowed_account_ids` against the
 *   account moto answers for. A provider pinned to yet another account that assumes no role cannot be
 *   deployed with one set of credentials: the credentials test fails for it and, so that the rest can still
 *   be applied and checked, the lab gives that provider credentials of a user of its pinned account (the
 *   failure lists the override);
 * - a stack's `required_providers.aws.version` becomes the mirror's version; its local backend path (outside
 *   the copy) becomes `terraform.tfstate` in the copy;
 * - an SCP's literal targets (organization root `r-…`, OU `ou-…`) become the IDs moto gave the organization
 *   and OUs the lab created (moto chooses them).
 *
 * Fixtures a real account already has, created in moto first: the organization (and OUs) an SCP is
 * attached in, the bucket a bucket policy is put on. moto loads AWS's managed policies
 * (MOTO_IAM_LOAD_MANAGED_POLICIES=true), so attaching one that AWS no longer offers fails as on AWS.
 *
 * What moto does not check, the test does, each in its own test: a principal the configuration creates,
 * named in a trust or resource policy, must be a dependency of that policy (AWS refuses a principal that does
 * not exist yet; moto takes any string); policy sizes and attachment quotas (AWS's default quotas); one set
 * of credentials per configuration.
 *
 * The examples that need no provider are applied too (init, apply, plan, destroy: offline, no moto).
 * Without terraform, moto_server or a provider mirror, every target fails saying what to install.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';
import {
  applyTarget,
  type ApplyTarget,
  credentialFindings,
  exampleUsesAws,
  limited,
  MIRROR_INSTALL,
  mirrorVersions,
  stackDependencyFindings,
  stackProviders,
  stateDependencyFindings,
  stateInstances,
  synthesize,
  type TargetReport,
} from '../support/aws-lab/apply-lab';
import { terraformExamples } from '../support/examples';
import { recordFigure } from '../support/figures';
import { providerMirror } from '../support/terraform-cli';
import { STACKS } from '../../stacks';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = terraformExamples(ROOT);
const TARGETS: ApplyTarget[] = [...STACKS.map(([name]) => ({ kind: 'stack' as const, name })), ...EXAMPLES.map((name) => ({ kind: 'example' as const, name }))];
/** Targets at a time, each with its own moto and terraform: ~4 on a 2-core machine (terraform waits on moto). */
const CONCURRENCY = Number(process.env.APPLY_TEST_CONCURRENCY ?? Math.max(4, cpus().length * 2));

const runs = new Map<string, Promise<TargetReport>>();
const key = (t: ApplyTarget) => `${t.kind} ${t.name}`;
let synthOut: string | undefined;
let started = 0;

/**
 * Starts every target, CONCURRENCY at a time, the first time a test asks for one (a run filtered to the
 * other tests starts none): synthesis first, into a temporary CDKTF_OUTDIR.
 */
function startAll(): void {
  started = Date.now();
  synthOut = mkdtempSync(join(tmpdir(), 'apply-synth-'));
  const out = synthOut;
  const settings = synthesize(ROOT, out).then(() => {
    const mirror = providerMirror();
    if (mirror === undefined || mirrorVersions(mirror).length === 0) throw new Error(`No AWS provider mirror (TF_AWS_PROVIDER_MIRROR or /opt/tf-plugins): ${MIRROR_INSTALL}`);
    return { root: ROOT, synthOut: out, mirror };
  });
  // The stacks take longest: they start first, in the order the tests ask for them.
  const promises = limited(
    CONCURRENCY,
    TARGETS.map((t) => async () => applyTarget(t, await settings)),
  );
  TARGETS.forEach((t, i) => {
    promises[i].catch(() => undefined); // each test reports its own target's rejection
    runs.set(key(t), promises[i]);
  });
}

afterAll(async () => {
  if (runs.size === 0) return;
  const reports = (await Promise.allSettled([...runs.values()])).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const ok = (r: TargetReport) => r.applied && r.planned && r.mismatches.length === 0 && r.destroyed;
  recordFigure('stacks applied against moto (applied, no drift, read back equal, destroyed clean)', reports.filter((r) => r.target.kind === 'stack' && ok(r)).length);
  recordFigure('examples applied (with moto, or offline where no provider is needed)', reports.filter((r) => r.target.kind === 'example' && ok(r)).length);
  recordFigure(
    'IAM objects read back from moto',
    reports.reduce((n, r) => n + r.objectsRead, 0),
  );
  recordFigure(
    'policy documents read back and compared (stacks: with the synthesized JSON)',
    reports.reduce((n, r) => n + r.documentsCompared, 0),
  );
  const lines = reports.map(
    (r) =>
      `  ${key(r.target).padEnd(44)} ${r.applied ? 'applied' : 'NOT APPLIED'}, ${r.planned ? 'no drift' : 'DRIFT/NOT PLANNED'}, ` +
      `${r.mismatches.length === 0 ? `${r.documentsCompared} documents equal` : `${r.mismatches.length} MISMATCHES`}, ${r.destroyed ? 'destroyed clean' : 'NOT DESTROYED CLEAN'} ` +
      `(${r.objectsRead} objects read back, ${r.seconds.toFixed(0)} s${r.usesAws ? '' : ', offline'}: ${r.steps.join(', ')})` +
      Object.entries(r.documentSources)
        .map(([source, n]) => `\n      ${n} compared with ${source}`)
        .join(''),
  );
  process.stdout.write(`apply test (${((Date.now() - started) / 1000).toFixed(0)} s, ${CONCURRENCY} at a time):\n${lines.join('\n')}\n`);
  if (synthOut !== undefined) rmSync(synthOut, { recursive: true, force: true });
});

const report = async (t: ApplyTarget): Promise<TargetReport> => {
  if (runs.size === 0) startAll();
  return runs.get(key(t))!;
};
const detail = (r: TargetReport) => [...r.steps, ...r.fixtures.map((f) => `fixture: ${f}`), ...r.overrides.map((o) => `override: ${o}`)].join('\n');

it('applies against moto every example that calls a module with AWS resources (its committed versions.tf asks for the provider)', () => {
  const withResources = new Set(readdirSync(join(ROOT, 'terraform-modules')).filter((m) => /required_providers\s*\{/.test(readFileSync(join(ROOT, 'terraform-modules', m, 'versions.tf'), 'utf8'))));
  expect(withResources.size).toBeGreaterThan(0);
  const calling = EXAMPLES.filter((e) => withResources.has(e));
  expect(calling.length).toBeGreaterThan(0);
  for (const example of calling) expect({ example, usesAws: exampleUsesAws(ROOT, example) }).toEqual({ example, usesAws: true });
});

describe.each(TARGETS)('$kind $name', (target) => {
  // An example that needs no provider is applied offline: no moto, nothing to read back.
  const withAws = target.kind === 'stack' || exampleUsesAws(ROOT, target.name);

  it(
    !withAws
      ? 'applies offline (it needs no provider), plans no drift, destroys leaving nothing'
      : target.kind === 'stack'
        ? 'applies against moto, plans no drift, reads every IAM object back equal to the synthesized document, destroys leaving nothing'
        : 'applies against moto, plans no drift, reads every IAM object back equal to the document Terraform computed, destroys leaving nothing',
    async () => {
      const r = await report(target);
      const steps = detail(r);
      expect({ apply: r.applyError, drift: r.drift, mismatches: r.mismatches, destroy: r.destroyError, leftovers: r.leftovers, steps }).toEqual({
        apply: undefined,
        drift: undefined,
        mismatches: [],
        destroy: undefined,
        leftovers: [],
        steps,
      });
      expect({ applied: r.applied, planned: r.planned, destroyed: r.destroyed, usesAws: r.usesAws }).toEqual({
        applied: true,
        planned: true,
        destroyed: true,
        usesAws: withAws,
      });
      if (withAws) expect(r.objectsRead).toBeGreaterThan(0);
    },
  );

  if (!withAws) return;

  it('(checked here: moto accepts any principal) names a principal the configuration creates, in a trust or resource policy, only as a dependency of that policy', async () => {
    const r = await report(target);
    expect(r.dependencyFindings).toEqual([]);
  });

  it("(checked here: moto has no quotas) keeps every policy's size and every principal's attachments within AWS's default quotas", async () => {
    const r = await report(target);
    // The sizes are read from what was applied: a target that did not apply has not been checked.
    expect({ applied: r.applied, quotas: r.quotaFindings }).toEqual({ applied: true, quotas: [] });
  });

  it('(checked here: moto never refuses a role to assume) deploys with one set of credentials: a provider pinned to another account assumes a role there', async () => {
    const r = await report(target);
    expect(r.credentialFindings).toEqual([]);
  });
});

/** The checks moto does not make, on configurations made up to break them: they find what they look for. */
describe('the checks the test makes itself', () => {
  const role = (name: string, path = '/') => ({
    name,
    path,
    assume_role_policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
    }),
  });
  const bucketPolicy = (principal: string, extra: Record<string, unknown> = {}) => ({
    bucket: 'b',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Principal: { AWS: principal }, Resource: 'arn:aws:s3:::b/*' }],
    }),
    ...extra,
  });
  const provider = { aws: [{ region: 'eu-west-1', alias: 'app', allowed_account_ids: ['111111111111'] }] };

  it('a bucket policy naming, as a literal, a role the stack creates, without depending on it, is found', () => {
    const stack = (policy: Record<string, unknown>) => ({
      provider,
      resource: { aws_iam_role: { app: { ...role('App', '/apps/'), provider: 'aws.app' } }, aws_s3_bucket_policy: { lake: policy } },
    });
    expect(stackDependencyFindings(stack(bucketPolicy('arn:aws:iam::111111111111:role/apps/App')))).toEqual([
      expect.stringContaining('aws_s3_bucket_policy.lake.policy names arn:aws:iam::111111111111:role/apps/App as a literal, created by aws_iam_role.app'),
    ]);
    expect(stackDependencyFindings(stack(bucketPolicy('arn:aws:iam::111111111111:role/apps/App', { depends_on: ['aws_iam_role.app'] })))).toEqual([]);
    expect(stackDependencyFindings(stack(bucketPolicy('${aws_iam_role.app.arn}')))).toEqual([]);
    // Another account's role of the same name is not the stack's.
    expect(stackDependencyFindings(stack(bucketPolicy('arn:aws:iam::222222222222:role/apps/App')))).toEqual([]);
  });

  it('an applied trust policy naming a principal of the configuration that is not among its state dependencies is found', () => {
    const trust = (principal: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: principal } }] });
    const state = (dependencies: string[]) =>
      stateInstances({
        resources: [
          {
            mode: 'managed',
            type: 'aws_iam_role',
            name: 'a',
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ attributes: { arn: 'arn:aws:iam::123456123456:role/a', assume_role_policy: trust('*') } }],
          },
          {
            module: 'module.m["x"]',
            mode: 'managed',
            type: 'aws_iam_role',
            name: 'this',
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ attributes: { arn: 'arn:aws:iam::123456123456:role/b', assume_role_policy: trust('arn:aws:iam::123456123456:role/a') }, dependencies }],
          },
        ],
      });
    expect(stateDependencyFindings(state([]))).toEqual([
      expect.stringContaining('module.m["x"].aws_iam_role.this.assume_role_policy names arn:aws:iam::123456123456:role/a, created by aws_iam_role.a, without depending on it'),
    ]);
    expect(stateDependencyFindings(state(['aws_iam_role.a']))).toEqual([]);
  });

  it('provider configurations pinned to different accounts that assume no role cannot share one set of credentials', () => {
    const pinned = (alias: string, account: string, roleArn?: string) => ({
      alias,
      region: 'eu-west-1',
      allowed_account_ids: [account],
      ...(roleArn && { assume_role: [{ role_arn: roleArn }] }),
    });
    const three = { provider: { aws: [pinned('management', '333333333333'), pinned('application', '111111111111'), pinned('data_lake', '222222222222')] } };
    expect(credentialFindings(stackProviders(three))).toHaveLength(2);
    const assumed = {
      provider: {
        aws: [
          pinned('management', '333333333333'),
          pinned('application', '111111111111', 'arn:aws:iam::111111111111:role/Deploy'),
          pinned('data_lake', '222222222222', 'arn:aws:iam::222222222222:role/Deploy'),
        ],
      },
    };
    expect(credentialFindings(stackProviders(assumed))).toEqual([]);
    const wrongRole = { provider: { aws: [pinned('application', '111111111111', 'arn:aws:iam::999999999999:role/Deploy')] } };
    expect(credentialFindings(stackProviders(wrongRole))).toEqual([expect.stringContaining('assumes arn:aws:iam::999999999999:role/Deploy, of account 999999999999')]);
  });
});
