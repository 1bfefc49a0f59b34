/**
 * `examples/<module>/`: one root module per generated module, calling it as an HCL user would (the README
 * shows the same calls). The examples of modules that need no provider are applied offline and print what
 * the TypeScript function gives for the same input. The others need the AWS provider: where a local
 * provider mirror exists they are `terraform validate`d against the provider's real schema; where none
 * does, that test says so and is skipped (the provider cannot be downloaded; test/support/provider-schema.ts
 * checks their arguments against @cdktf/provider-aws's schema in any case).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ecrDockerPushPolicy } from '../../modules/ci-policies/ecr-docker-push';
import { ecsServiceDeploymentPolicy } from '../../modules/ci-policies/ecs-service-deployment';
import { terragruntPolicy } from '../../modules/ci-policies/terragrunt';
import { delegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE } from '../../modules/delegated-role-creation/delegated-role-creation';
import { jetsDeployPolicy } from '../../modules/deploy-group/jets-deploy-policy';
import { applyAcknowledgements, sortedAcknowledged } from '../../modules/core/acknowledgements';
import { admissionFindings } from '../../modules/core/admission';
import type { PolicyDocument } from '../../modules/core/policy-document';
import { AWS_MANAGED_POLICIES_AS_OF, isCurrentAwsManagedPolicy, nearestAwsManagedPolicies } from '../../modules/core/aws-managed-policies';
import { trustPolicy } from '../../modules/iam-role/trust-policy';
import { statePermissionsPolicy } from '../../modules/state-access/state-permissions';
import { terraformModuleConfigurations } from '../../modules/terraform-modules';
import { requireTool, TERRAFORM_INSTALL } from '../support/aws-lab/tools';
import { moduleUsesAws, terraformExamples } from '../support/examples';
import { recordFigure } from '../support/figures';
import { providerMirror, terraform } from '../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = terraformExamples(ROOT);
const MODULES = terraformModuleConfigurations().map(({ dir }) => dir.replace(/^terraform-modules\//, ''));

const ACCOUNT = '123456123456';
/** The policy examples/policy-admission gives the module, as its jsonencode writes it (keys sorted). */
const DATA_LAKE_POLICY: PolicyDocument = {
  Statement: [
    { Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/application-roles/ApplicationRole' }, Resource: 'arn:aws:s3:::data-lake-bucket/*' },
    { Action: 's3:GetObject', Effect: 'Allow', Principal: '*', Resource: 'arn:aws:s3:::data-lake-bucket/public/*' },
  ],
  Version: '2012-10-17',
} as unknown as PolicyDocument;
const DATA_LAKE_ACKNOWLEDGE = [
  { rule: 'CROSS_ACCOUNT', reason: 'the application account reads the data lake' },
  { rule: 'ANY_PRINCIPAL', reason: 'public/ holds the published data sets' },
] as const;

/**
 * Each provider-free example's outputs and what the TypeScript gives for the example's input: a policy
 * (compared with its JSON text, byte for byte) or a value (compared as it is).
 */
const EXPECTED: Record<string, Record<string, { json: unknown } | { value: unknown }>> = {
  'aws-managed-policies': (() => {
    const arns = {
      read_only: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ssm_core: 'arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore',
      config: 'arn:aws:iam::aws:policy/service-role/AWSConfigRole',
    };
    // What the constructs say for the same ARNs: current or not, and the policy of that name AWS offers.
    const offered = (arn: string) => {
      const name = arn.slice(arn.lastIndexOf('/') + 1).toLowerCase();
      return nearestAwsManagedPolicies(arn.replace(/^arn:aws:iam::aws:policy/, '')).find((e) => e.slice(e.lastIndexOf('/') + 1).toLowerCase() === name) ?? null;
    };
    return {
      current: { value: Object.fromEntries(Object.entries(arns).map(([k, arn]) => [k, isCurrentAwsManagedPolicy(arn)])) },
      offered_as: { value: Object.fromEntries(Object.entries(arns).map(([k, arn]) => [k, offered(arn)])) },
      as_of: { value: AWS_MANAGED_POLICIES_AS_OF.updated },
    };
  })(),
  'permissions-policy': {
    policy_json: {
      json: statePermissionsPolicy({
        stateBucketArn: 'arn:aws:s3:::my-state-bucket',
        lockTableArn: 'arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table',
        canApply: [{ key: 'terraform.tfstate' }],
        listNewWorkspaces: false,
      }),
    },
  },
  'policy-admission': {
    policy_json: { json: DATA_LAKE_POLICY },
    acknowledged: {
      // As BucketPolicy writes them next to the resource: sorted by field, then rule.
      value: sortedAcknowledged(applyAcknowledgements(admissionFindings(DATA_LAKE_POLICY, { account: ACCOUNT }), DATA_LAKE_ACKNOWLEDGE as never).acknowledged).map((a) => ({
        field: a.field,
        reason: a.reason,
        rule: a.rule,
      })),
    },
  },
  'trust-policy': {
    trust_policy_json: {
      json: trustPolicy({
        services: ['ec2.amazonaws.com'],
        oidc: [
          {
            providerArn: 'arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com',
            audience: 'sts.amazonaws.com',
            subjects: ['repo:my-org/my-repo:ref:refs/heads/main'],
          },
        ],
      }),
    },
    github_actions_json: { json: trustPolicy({ account: ACCOUNT, githubActions: [{ owner: 'my-org', repository: 'infra', branches: ['main'], environments: ['production'] }] }) },
    github_actions_ids_json: { json: trustPolicy({ account: ACCOUNT, githubActions: [{ owner: 'my-org', repository: 'infra', ownerId: '123456', repositoryId: '456789', tags: ['v*'] }] }) },
    gitlab_json: { json: trustPolicy({ account: ACCOUNT, gitlab: [{ projectPath: 'my-group/infra', branches: ['main'], protectedRefsOnly: true, projectId: '42' }] }) },
    circleci_json: {
      json: trustPolicy({
        account: ACCOUNT,
        circleci: [{ organizationId: '1f2e3d4c-5b6a-4978-8877-665544332211', projectIds: ['0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', 'abcdef01-2345-4678-9abc-def012345678'] }],
      }),
    },
    bitbucket_pipelines_json: {
      json: trustPolicy({
        account: ACCOUNT,
        bitbucketPipelines: [
          {
            workspace: 'my-workspace',
            workspaceUuid: '{1de489be-5a52-4b1c-9a3e-0123456789ab}',
            repositoryUuid: '{2de489be-5a52-4b1c-9a3e-0123456789ab}',
            deploymentEnvironmentUuids: ['{3de489be-5a52-4b1c-9a3e-0123456789ab}'],
          },
        ],
      }),
    },
    buildkite_json: { json: trustPolicy({ account: ACCOUNT, buildkite: [{ organization: 'my-org', pipelines: ['deploy'], branches: ['main'] }] }) },
    hcp_terraform_json: { json: trustPolicy({ account: ACCOUNT, terraformCloud: [{ organization: 'my-org', workspaces: ['network'], runPhases: ['plan'] }] }) },
  },
  'ecr-docker-push-policy': { policy_json: { json: ecrDockerPushPolicy({ repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/web'] }) } },
  'ecs-service-deployment-policy': {
    policy_json: {
      json: ecsServiceDeploymentPolicy({
        serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web'],
        taskDefinitionFamilies: ['web'],
        passRoleArns: ['arn:aws:iam::123456123456:role/web-task', 'arn:aws:iam::123456123456:role/web-execution'],
        clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/main',
      }),
    },
  },
  'terragrunt-policy': {
    policy_json: {
      json: terragruntPolicy({
        stateBucketArns: ['arn:aws:s3:::ci-terraform-state'],
        lockTableArns: ['arn:aws:dynamodb:eu-west-1:123456123456:table/ci-terraform-locks'],
      }),
    },
  },
  'jets-deploy-policy': { policy_json: { json: jetsDeployPolicy({ prefix: 'my-cool-prefix', passRoleToServices: ['lambda.amazonaws.com'] }) } },
  'delegated-role-creation-policy': { policy_json: { json: delegatedRoleCreationPolicy(EXAMPLE_CORP_PIPELINE) } },
};

/** A copy of `terraform-modules/` and `examples/` (so that no `.terraform` lands in the project), and a CLI config. */
function workspace(cliConfig: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'examples-'));
  cpSync(join(ROOT, 'terraform-modules'), join(dir, 'terraform-modules'), { recursive: true });
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  writeFileSync(join(dir, 'terraformrc'), cliConfig);
  return dir;
}

describe('examples/', () => {
  it('has one example per generated module, named after it, calling it by a relative path', () => {
    expect(EXAMPLES).toEqual([...MODULES].sort());
    for (const name of EXAMPLES) {
      const text = readFileSync(join(ROOT, 'examples', name, 'main.tf'), 'utf8');
      expect({ name, calls: text.includes(`source = "../../terraform-modules/${name}"`) }).toEqual({ name, calls: true });
    }
  });

  it('are written as terraform fmt writes them', async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = workspace('');
    try {
      await terraform(binary, join(dir, 'examples'), ['fmt', '-check', '-recursive'], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const providerFree = EXAMPLES.filter((name) => !moduleUsesAws(name));

  it('lists the expected output of every example that needs no provider', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(providerFree);
  });

  it.each(providerFree)('%s: applies offline and prints what the TypeScript renders for the same input', async (name) => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = workspace('');
    try {
      const example = join(dir, 'examples', name);
      await terraform(binary, example, ['init', '-input=false', '-backend=false'], dir);
      await terraform(binary, example, ['apply', '-auto-approve', '-input=false'], dir);
      const outputs = JSON.parse(await terraform(binary, example, ['output', '-json'], dir)) as Record<string, { value: unknown }>;
      expect(Object.keys(outputs).sort()).toEqual(Object.keys(EXPECTED[name]).sort());
      for (const [output, want] of Object.entries(EXPECTED[name])) {
        expect({ output, value: outputs[output]?.value }).toEqual({ output, value: 'json' in want ? JSON.stringify(want.json) : want.value });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('examples/ with the AWS provider', () => {
  const mirror = providerMirror();
  const withProvider = EXAMPLES.filter((name) => moduleUsesAws(name));
  // One root module calls every example, so the 700 MB provider is installed and its schema loaded once.
  const config = (dir: string) => `plugin_cache_dir = "${join(dir, 'plugins')}"
provider_installation {
  filesystem_mirror {
    path    = "${mirror}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
`;
  const validate = async (edit: (dir: string) => void = () => undefined): Promise<string> => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = workspace('');
    try {
      writeFileSync(join(dir, 'terraformrc'), config(dir));
      mkdirSync(join(dir, 'plugins'));
      edit(dir);
      const root = join(dir, 'all');
      mkdirSync(root);
      writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module: Object.fromEntries(withProvider.map((name) => [name.replace(/-/g, '_'), { source: `../examples/${name}` }])) }));
      await terraform(binary, root, ['init', '-input=false', '-backend=false'], dir);
      return await terraform(binary, root, ['validate'], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  if (mirror === undefined) {
    process.stdout.write('examples/ with the AWS provider: no local provider mirror (TF_AWS_PROVIDER_MIRROR or /opt/tf-plugins): terraform validate skipped\n');
    recordFigure('examples validated with the AWS provider (skipped: no provider mirror)', 0);
  }
  const maybe = mirror === undefined ? it.skip : it;

  maybe(`every example that needs the provider (${withProvider.length}), and the modules they call, passes terraform validate`, async () => {
    expect(withProvider.length).toBeGreaterThan(0);
    expect(await validate()).toContain('The configuration is valid.');
    recordFigure('examples validated with the AWS provider', withProvider.length);
  });

  maybe('terraform validate fails on an argument the provider does not know (the check is real)', async () => {
    const module = join('terraform-modules', 'iam-role', 'main.tf');
    const failure = await validate((dir) => {
      const main = readFileSync(join(dir, module), 'utf8');
      const withUnknown = main.replace('resource "aws_iam_role" "this" {\n', 'resource "aws_iam_role" "this" {\n  not_an_argument = "x"\n');
      expect(withUnknown).not.toBe(main);
      writeFileSync(join(dir, module), withUnknown);
    }).then(
      () => 'valid',
      (error: Error) => error.message,
    );
    expect(failure).toContain('not_an_argument');
    expect(failure).toContain('An argument named "not_an_argument" is not expected here.');
  });
});
