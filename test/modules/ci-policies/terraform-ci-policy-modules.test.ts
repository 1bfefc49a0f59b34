/**
 * The generated Terraform modules `terraform-modules/{ecr-docker-push,ecs-service-deployment,terragrunt}-policy/`
 * against `ecrDockerPushPolicy`, `ecsServiceDeploymentPolicy` and `terragruntPolicy`: each committed folder is
 * exactly the generator's output, and the real terraform CLI (no provider, offline) renders the same JSON,
 * byte for byte, for hand-written and random valid configurations (one init, one apply and one output per
 * module), and rejects at plan time the bad inputs the TypeScript rejects (one plan per module).
 *
 * Random inputs hold ASCII letters, digits and `. _ - : /` only: Go's JSON encoder writes `<`, `>` and `&`
 * as `\u003c`, `\u003e` and `\u0026` where `JSON.stringify` writes them as they are.
 */
import fc from 'fast-check';
import { join } from 'path';
import { ecrDockerPushPolicy, type EcrDockerPushProps } from '../../../modules/ci-policies/ecr-docker-push';
import { ecsServiceDeploymentPolicy, type EcsServiceDeploymentProps } from '../../../modules/ci-policies/ecs-service-deployment';
import { ECR_DOCKER_PUSH_POLICY_MODULE_DIR, ecrDockerPushPolicyModuleFiles } from '../../../modules/ci-policies/terraform-ecr-docker-push-policy';
import { ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR, ecsServiceDeploymentPolicyModuleFiles } from '../../../modules/ci-policies/terraform-ecs-service-deployment-policy';
import { TERRAGRUNT_POLICY_MODULE_DIR, terragruntPolicyModuleFiles } from '../../../modules/ci-policies/terraform-terragrunt-policy';
import { terragruntPolicy, type TerragruntPolicyProps } from '../../../modules/ci-policies/terragrunt';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const SEED = 20261201;
const RANDOM_CONFIGURATIONS = 60;

/** One module under test: its folder, files, TS function, and how its props become module arguments. */
interface ModuleCase<P> {
  readonly dir: string;
  readonly files: () => Record<string, string>;
  readonly policy: (props: P) => unknown;
  /** Arguments by variable name; `required` ones are passed as they are, the others as null when unset. */
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly args: (props: P) => Record<string, unknown>;
  readonly arbitrary: fc.Arbitrary<P>;
  readonly handWritten: Record<string, P>;
  /**
   * Bad inputs, each failing exactly one validation: props, and the start of the error message the module
   * must give. One plan per group: a validation that reads another variable is skipped for every instance
   * of the call when that other variable fails a validation in any instance (terraform 1.11.4), so such
   * cases are planned apart from those that fail the other variable.
   */
  readonly bad: readonly Record<string, [P, string]>[];
}

function defined(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

// --- random ARN parts ---------------------------------------------------------------------------------

const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
const region = fc.constantFrom('eu-west-1', 'us-east-1', 'ap-south-2');
const account = fc.constantFrom('123456123456', '210987654321', '000000000001');
const NAME_CHARS = 'abcxyz019._-'.split('');
const name = fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 8 }).map((c) => c.join(''));
/** Names with `:` too, which the ARN templates accept in the resource part. */
const looseName = fc.oneof(
  name,
  fc.tuple(name, name).map(([a, b]) => `${a}:${b}`),
);
const pathName = fc.array(looseName, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
const list = <T>(a: fc.Arbitrary<T>, minLength: number) => fc.uniqueArray(a, { minLength, maxLength: 4 });

function expected<P>(policy: (props: P) => unknown, props: P): string | undefined {
  try {
    return JSON.stringify(policy(props));
  } catch {
    return undefined;
  }
}

// --- the three modules --------------------------------------------------------------------------------

const repositoryArn = fc.tuple(partition, region, account, pathName).map(([p, r, a, n]) => `arn:${p}:ecr:${r}:${a}:repository/${n}`);
const ECR: ModuleCase<EcrDockerPushProps> = {
  dir: ECR_DOCKER_PUSH_POLICY_MODULE_DIR,
  files: ecrDockerPushPolicyModuleFiles,
  policy: (props) => ecrDockerPushPolicy(props),
  required: ['repository_arns'],
  optional: [],
  args: (props) => ({ repository_arns: props.repositoryArns }),
  arbitrary: list(repositoryArn, 1).map((repositoryArns) => ({
    repositoryArns,
  })),
  handWritten: {
    one: {
      repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/web'],
    },
    two: {
      repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/web', 'arn:aws:ecr:eu-west-1:123456123456:repository/team/api'],
    },
  },
  bad: [
    {
      empty: [{ repositoryArns: [] }, 'repository_arns: the list is empty'],
      wildcard: [
        {
          repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/web-*'],
        },
        'repository_arns: an ARN holds a wildcard',
      ],
      not_ecr: [{ repositoryArns: ['arn:aws:s3:::bucket'] }, 'repository_arns: not an ECR repository ARN'],
      no_account: [{ repositoryArns: ['arn:aws:ecr:eu-west-1::repository/web'] }, 'repository_arns: not an ECR repository ARN'],
      empty_segment: [
        {
          repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/team//web'],
        },
        'repository_arns: not an ECR repository ARN',
      ],
      twice: [
        {
          repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/web', 'arn:aws:ecr:eu-west-1:123456123456:repository/web'],
        },
        'repository_arns: an ARN is listed twice',
      ],
    },
  ],
};

const cluster = fc.tuple(partition, region, account, looseName);
const ecsProps: fc.Arbitrary<EcsServiceDeploymentProps> = fc
  .record({
    clusters: fc.uniqueArray(cluster, {
      minLength: 1,
      maxLength: 3,
      selector: (c) => c.join('|'),
    }),
    services: fc.uniqueArray(fc.tuple(fc.nat(2), looseName), {
      minLength: 1,
      maxLength: 4,
      selector: (s) => s.join('|'),
    }),
    taskDefinitionFamilies: list(
      fc
        .array(fc.constantFrom(...'abcXYZ019_-'.split('')), {
          minLength: 1,
          maxLength: 8,
        })
        .map((c) => c.join('')),
      1,
    ),
    passRoleArns: list(
      fc.tuple(partition, account, pathName).map(([p, a, n]) => `arn:${p}:iam::${a}:role/${n}`),
      1,
    ),
    withCluster: fc.boolean(),
  })
  .map(({ clusters, services, taskDefinitionFamilies, passRoleArns, withCluster }) => {
    // With a cluster: every service in the first cluster; without: spread over the clusters.
    const serviceArns = [
      ...new Set(
        services.map(([i, s]) => {
          const [p, r, a, c] = clusters[withCluster ? 0 : i % clusters.length];
          return `arn:${p}:ecs:${r}:${a}:service/${c}/${s}`;
        }),
      ),
    ];
    const [p, r, a, c] = clusters[0];
    return {
      serviceArns,
      taskDefinitionFamilies,
      passRoleArns,
      ...(withCluster && {
        clusterArn: `arn:${p}:ecs:${r}:${a}:cluster/${c}`,
      }),
    };
  });
const ECS_BASE: EcsServiceDeploymentProps = {
  serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web'],
  taskDefinitionFamilies: ['web'],
  passRoleArns: ['arn:aws:iam::123456123456:role/web-task'],
};
const ECS: ModuleCase<EcsServiceDeploymentProps> = {
  dir: ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR,
  files: ecsServiceDeploymentPolicyModuleFiles,
  policy: (props) => ecsServiceDeploymentPolicy(props),
  required: ['service_arns', 'task_definition_families', 'pass_role_arns'],
  optional: ['cluster_arn'],
  args: (props) =>
    defined([
      ['service_arns', props.serviceArns],
      ['task_definition_families', props.taskDefinitionFamilies],
      ['pass_role_arns', props.passRoleArns],
      ['cluster_arn', props.clusterArn],
    ]),
  arbitrary: ecsProps,
  handWritten: {
    simple: ECS_BASE,
    in_cluster: {
      ...ECS_BASE,
      clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/main',
    },
    two_regions: {
      serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web', 'arn:aws:ecs:us-east-1:123456123456:service/main/web', 'arn:aws:ecs:eu-west-1:123456123456:service/main/api'],
      taskDefinitionFamilies: ['web', 'api'],
      passRoleArns: ['arn:aws:iam::123456123456:role/web-task', 'arn:aws:iam::123456123456:role/ecs/execution'],
    },
  },
  bad: [
    {
      no_services: [{ ...ECS_BASE, serviceArns: [] }, 'service_arns: the list is empty'],
      short_service: [
        {
          ...ECS_BASE,
          serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/web'],
        },
        'service_arns: an ARN is in the short format',
      ],
      service_extra_slash: [
        {
          ...ECS_BASE,
          serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web/x'],
        },
        'service_arns: not an ECS service ARN',
      ],
      service_wildcard: [
        {
          ...ECS_BASE,
          serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/*'],
        },
        'service_arns: an ARN holds a wildcard',
      ],
      service_twice: [
        {
          ...ECS_BASE,
          serviceArns: [ECS_BASE.serviceArns[0], ECS_BASE.serviceArns[0]],
        },
        'service_arns: an ARN is listed twice',
      ],
      no_families: [{ ...ECS_BASE, taskDefinitionFamilies: [] }, 'task_definition_families: the list is empty'],
      family_wildcard: [{ ...ECS_BASE, taskDefinitionFamilies: ['web*'] }, 'task_definition_families: a family holds a wildcard'],
      family_arn: [
        {
          ...ECS_BASE,
          taskDefinitionFamilies: ['arn:aws:ecs:eu-west-1:123456123456:task-definition/web:1'],
        },
        'task_definition_families: not a task definition family',
      ],
      family_twice: [{ ...ECS_BASE, taskDefinitionFamilies: ['web', 'web'] }, 'task_definition_families: a family is listed twice'],
      no_roles: [{ ...ECS_BASE, passRoleArns: [] }, 'pass_role_arns: the list is empty'],
      role_region: [
        {
          ...ECS_BASE,
          passRoleArns: ['arn:aws:iam:eu-west-1:123456123456:role/web-task'],
        },
        'pass_role_arns: not an IAM role ARN',
      ],
      role_wildcard: [{ ...ECS_BASE, passRoleArns: ['arn:aws:iam::123456123456:role/*'] }, 'pass_role_arns: an ARN holds a wildcard'],
      other_cluster: [
        {
          ...ECS_BASE,
          clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/other',
        },
        'service_arns: a service is not of cluster_arn',
      ],
    },
    {
      cluster_bad: [
        {
          ...ECS_BASE,
          clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/a/b',
        },
        'cluster_arn: not an ECS cluster ARN',
      ],
      cluster_wildcard: [
        {
          ...ECS_BASE,
          clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/*',
        },
        'cluster_arn: holds a wildcard',
      ],
    },
  ],
};

const bucketArn = fc.tuple(partition, looseName).map(([p, n]) => `arn:${p}:s3:::${n}`);
const tableArn = fc.tuple(partition, region, account, looseName).map(([p, r, a, n]) => `arn:${p}:dynamodb:${r}:${a}:table/${n}`);
const TG_BASE: TerragruntPolicyProps = {
  stateBucketArns: ['arn:aws:s3:::my-state-bucket'],
};
const TERRAGRUNT: ModuleCase<TerragruntPolicyProps> = {
  dir: TERRAGRUNT_POLICY_MODULE_DIR,
  files: terragruntPolicyModuleFiles,
  policy: (props) => terragruntPolicy(props),
  required: ['state_bucket_arns'],
  optional: ['lock_table_arns', 'allow_bootstrap', 'allow_account_alias'],
  args: (props) =>
    defined([
      ['state_bucket_arns', props.stateBucketArns],
      ['lock_table_arns', props.lockTableArns],
      ['allow_bootstrap', props.allowBootstrap],
      ['allow_account_alias', props.allowAccountAlias],
    ]),
  arbitrary: fc
    .record(
      {
        stateBucketArns: list(bucketArn, 1),
        lockTableArns: list(tableArn, 0),
        allowBootstrap: fc.boolean(),
        allowAccountAlias: fc.boolean(),
      },
      { requiredKeys: ['stateBucketArns'] },
    )
    .map((props) => defined(Object.entries(props)) as unknown as TerragruntPolicyProps),
  handWritten: {
    check_only: TG_BASE,
    all: {
      stateBucketArns: ['arn:aws:s3:::my-state-bucket', 'arn:aws:s3:::other-state'],
      lockTableArns: ['arn:aws:dynamodb:eu-west-1:123456789012:table/my-lock-table'],
      allowBootstrap: true,
      allowAccountAlias: true,
    },
    empty_tables_bootstrap: {
      ...TG_BASE,
      lockTableArns: [],
      allowBootstrap: true,
    },
  },
  bad: [
    {
      no_buckets: [{ stateBucketArns: [] }, 'state_bucket_arns: the list is empty'],
      bucket_object: [{ stateBucketArns: ['arn:aws:s3:::my-state-bucket/key'] }, 'state_bucket_arns: not an S3 bucket ARN'],
      bucket_wildcard: [{ stateBucketArns: ['arn:aws:s3:::state-*'] }, 'state_bucket_arns: an ARN holds a wildcard'],
      bucket_twice: [{ stateBucketArns: ['arn:aws:s3:::a1b', 'arn:aws:s3:::a1b'] }, 'state_bucket_arns: an ARN is listed twice'],
      table_index: [
        {
          ...TG_BASE,
          lockTableArns: ['arn:aws:dynamodb:eu-west-1:123456789012:table/t/index/i'],
        },
        'lock_table_arns: not an DynamoDB table ARN',
      ],
      table_no_region: [
        {
          ...TG_BASE,
          lockTableArns: ['arn:aws:dynamodb::123456789012:table/t'],
        },
        'lock_table_arns: not an DynamoDB table ARN',
      ],
      table_wildcard: [
        {
          ...TG_BASE,
          lockTableArns: ['arn:aws:dynamodb:eu-west-1:123456789012:table/*'],
        },
        'lock_table_arns: an ARN holds a wildcard',
      ],
    },
  ],
};

// --- terraform ----------------------------------------------------------------------------------------

function describeModule<P>(title: string, m: ModuleCase<P>): void {
  describe(`${m.dir}`, () => {
    const files = m.files();

    it('is what `npm run modules` writes (run it after changing a modules/ci-policies/terraform-*.ts generator)', () => {
      expectCommittedFolder(ROOT, m.dir, files);
    });

    it('is the same bytes on every run, and needs no provider and no backend', () => {
      expect(m.files()).toEqual(files);
      const versions = JSON.parse(files[`${m.dir}/versions.tf.json`]);
      expect(Object.keys(versions.terraform)).toEqual(['required_version']);
      for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
    });

    describe('with the terraform CLI', () => {
      let root: ModuleCallRoot;
      const started = Date.now();
      let compared = 0;
      const samples = fc.sample(
        m.arbitrary.filter((props) => expected(m.policy, props) !== undefined),
        { seed: SEED, numRuns: RANDOM_CONFIGURATIONS },
      );

      beforeAll(async () => {
        root = new ModuleCallRoot(requireTool('terraform', TERRAFORM_INSTALL), join(ROOT, m.dir), ModuleCallRoot.arguments(m.required, m.optional));
        await root.init();
      });

      afterAll(() => {
        root?.remove();
        if (root !== undefined) {
          process.stdout.write(`${title}: ${compared} configurations compared in ${root.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        }
      });

      it(`renders the same JSON as the TypeScript for hand-written and ${RANDOM_CONFIGURATIONS} random configurations (seed ${SEED})`, async () => {
        expect(samples).toHaveLength(RANDOM_CONFIGURATIONS);
        expect(new Set(samples.map((props) => JSON.stringify(props))).size).toBeGreaterThan(RANDOM_CONFIGURATIONS * 0.9);
        const configs: Record<string, P> = { ...m.handWritten };
        samples.forEach((props, i) => (configs[`c${i}`] = props));
        for (const [name, props] of Object.entries(m.handWritten))
          expect({
            name,
            valid: expected(m.policy, props) !== undefined,
          }).toEqual({ name, valid: true });
        const policies = await root.policies(Object.fromEntries(Object.entries(configs).map(([name, props]) => [name, m.args(props)])));
        expect(Object.keys(policies).sort()).toEqual(Object.keys(configs).sort());
        for (const [name, props] of Object.entries(configs)) {
          expect({ name, props, json: policies[name] }).toEqual({
            name,
            props,
            json: expected(m.policy, props),
          });
          compared++;
        }
      });

      it('rejects at plan time, with a validation error, the bad inputs the TypeScript rejects', async () => {
        for (const group of m.bad) {
          for (const [name, [props]] of Object.entries(group))
            expect({
              name,
              rejectedByTs: expected(m.policy, props) === undefined,
            }).toEqual({ name, rejectedByTs: true });
          await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(group).map(([name, [props, message]]) => [name, [m.args(props), message] as const])));
        }
      });
    });
  });
}

describeModule('ecr-docker-push-policy', ECR);
describeModule('ecs-service-deployment-policy', ECS);
describeModule('terragrunt-policy', TERRAGRUNT);
