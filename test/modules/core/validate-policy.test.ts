import {
  type AcknowledgeableFinding,
  type Finding,
  type PolicyDocument,
  type PolicyKind,
  policyDocument,
  policyFindings,
  PolicyValidationError,
  type StatementProps,
  validatePolicy,
} from '../../../modules/core';

const BUCKET = 'arn:aws:s3:::my-bucket';

function findings(statements: StatementProps[], kind: PolicyKind = 'identity', acknowledge: AcknowledgeableFinding[] = []): Finding[] {
  return policyFindings(policyDocument({ statements }), { kind, acknowledge });
}

function problems(statements: StatementProps[], kind: PolicyKind = 'identity', acknowledge: AcknowledgeableFinding[] = []): string[] {
  return findings(statements, kind, acknowledge).map((f) => `${f.field}: ${f.problem}`);
}

describe('size limit', () => {
  it('a size limit that is no number (NaN) is an error, not a check that passes everything; Infinity checks no size', () => {
    const doc = policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: [`${BUCKET}/*`] }] });
    expect(policyFindings(doc, { kind: 'identity', sizeLimit: Number.NaN }).map((f) => `${f.field}: ${f.problem}`)).toEqual(['(size limit): not a size']);
    expect(policyFindings(doc, { kind: 'identity', sizeLimit: Infinity })).toEqual([]);
    expect(policyFindings(doc, { kind: 'identity', sizeLimit: 10 }).map((f) => f.field)).toEqual(['(policy size)']);
  });
});

describe('grammar (Access Analyzer: policy grammar)', () => {
  it('condition values may be unquoted numbers and booleans (IAM JSON policy grammar), not null or objects', () => {
    const doc = (values: unknown) =>
      JSON.parse(
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: `${BUCKET}/*`, Condition: { Bool: { 'aws:SecureTransport': values } } }] }),
      ) as PolicyDocument;
    expect(policyFindings(doc(false), { kind: 'identity' })).toEqual([]);
    expect(policyFindings(doc([true, 'false']), { kind: 'identity' })).toEqual([]);
    expect(policyFindings(doc([null]), { kind: 'identity' }).map((f) => `${f.field}: ${f.problem}`)).toEqual([
      'Statement[0].Condition.Bool.aws:SecureTransport[0]: a condition value is a string, a number or a boolean',
    ]);
  });

  it('a valid identity policy has no findings', () => {
    expect(findings([{ sid: 'Read', actions: ['s3:GetObject'], resources: [`${BUCKET}/*`] }])).toEqual([]);
  });

  it('Version must be 2012-10-17', () => {
    const doc = policyDocument({ version: '2008-10-17', statements: [{ actions: ['s3:GetObject'], resources: [`${BUCKET}/*`] }] });
    expect(policyFindings(doc, { kind: 'identity' })[0]).toMatchObject({ field: 'Version', value: '2008-10-17' });
  });

  it('Effect must be Allow or Deny', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Effect: 'Permit', Resource: '*' }] } as unknown as PolicyDocument;
    expect(policyFindings(doc, { kind: 'identity' }).map((f) => f.field)).toContain('Statement[0].Effect');
  });

  it('a policy needs a statement', () => {
    expect(problems([])).toEqual(['Statement: a policy needs at least one statement']);
  });

  it('Action xor NotAction', () => {
    expect(problems([{ resources: ['*'] }])).toContain('Statement[0]: a statement needs Action or NotAction');
    expect(problems([{ actions: ['s3:GetObject'], notActions: ['s3:PutObject'], resources: [`${BUCKET}/*`] }], 'identity', ['ALLOW_WITH_NOT'])).toContain(
      'Statement[0]: a statement takes Action or NotAction, not both',
    );
  });

  it('identity policies need Resource xor NotResource and take no Principal', () => {
    expect(problems([{ actions: ['s3:GetObject'] }])).toContain('Statement[0]: a statement needs Resource or NotResource');
    expect(problems([{ actions: ['s3:GetObject'], resources: [`${BUCKET}/*`], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] }])).toContain(
      'Statement[0].Principal: a identity policy applies to the identity it is attached to and takes no Principal',
    );
  });

  it('trust policies need a Principal and take no Resource', () => {
    expect(problems([{ actions: ['sts:AssumeRole'] }], 'trust')).toContain('Statement[0]: a statement needs Principal or NotPrincipal');
    expect(problems([{ actions: ['sts:AssumeRole'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] }], 'trust')[0]).toContain(
      'a trust policy may not name resources',
    );
  });

  it('Sid: letters and digits only, unique', () => {
    const p = problems([
      { sid: 'Read-Objects', actions: ['s3:GetObject'], resources: [`${BUCKET}/*`] },
      { sid: 'List', actions: ['s3:ListBucket'], resources: [BUCKET] },
      { sid: 'List', actions: ['s3:ListBucket'], resources: [BUCKET] },
    ]);
    expect(p).toEqual(['Statement[0].Sid: a Sid may hold only A-Z, a-z and 0-9', 'Statement[2].Sid: Statement[1] has the same Sid']);
  });
});

describe('action names (iam-data)', () => {
  it('an unknown service', () => {
    expect(problems([{ actions: ['s4:GetObject'], resources: ['*'] }])[0]).toContain("'s4' is not a service prefix");
  });

  it('an unknown action', () => {
    expect(problems([{ actions: ['s3:GetObjects'], resources: [`${BUCKET}/*`] }])[0]).toContain("s3 has no action 'GetObjects'");
  });

  it('action names are case-insensitive, as IAM reads them', () => {
    expect(findings([{ actions: ['s3:getobject'], resources: [`${BUCKET}/*`] }])).toEqual([]);
  });

  it('a wildcard must match at least one action', () => {
    expect(problems([{ actions: ['s3:Fly*'], resources: ['*'] }])[0]).toContain('matches no s3 action');
    expect(findings([{ actions: ['s3:GetObjectVer*'], resources: [`${BUCKET}/*`] }])).toEqual([]);
  });

  it('a malformed action', () => {
    expect(problems([{ actions: ['GetObject'], resources: ['*'] }])[0]).toContain('an action is written service:ActionName');
  });

  it('"*" and "service:*" are findings a caller may acknowledge by name', () => {
    const wide: StatementProps[] = [{ actions: ['*'], resources: ['*'] }];
    expect(findings(wide).map((f) => f.code)).toEqual(['WILDCARD_ACTION']);
    expect(findings(wide, 'identity', ['WILDCARD_ACTION'])).toEqual([]);
    expect(findings([{ actions: ['s3:*'], resources: [`${BUCKET}/*`] }]).map((f) => f.code)).toEqual(['WILDCARD_ACTION']);
  });

  it('a Deny may use wildcards: it only narrows', () => {
    expect(findings([{ effect: 'Deny', actions: ['*'], resources: ['*'] }])).toEqual([]);
  });
});

describe("resources against each action's resource types (iam-data ARN templates)", () => {
  it('s3:GetObject on a bucket ARN grants nothing', () => {
    const p = problems([{ actions: ['s3:GetObject'], resources: [BUCKET] }]);
    expect(p.some((x) => x.includes('no resource fits s3:GetObject'))).toBe(true);
    expect(p.some((x) => x.includes('fits the resource type of no action'))).toBe(true);
  });

  it('s3:ListBucket on an object ARN grants nothing (a bucket name holds no "/")', () => {
    expect(problems([{ actions: ['s3:ListBucket'], resources: [`${BUCKET}/*`] }]).join()).toContain('no resource fits s3:ListBucket');
  });

  it('a wildcard that may cross "/" fits objects too', () => {
    expect(findings([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::my-bucket*'] }])).toEqual([]);
  });

  it('an action with no resource-level permission is granted only on "*"', () => {
    expect(problems([{ actions: ['ecr:GetAuthorizationToken'], resources: ['arn:aws:ecr:eu-west-1:123456789012:repository/app'] }]).join()).toContain('supports no resource-level permission');
    expect(findings([{ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }])).toEqual([]);
  });

  it('"*" for an action that supports resource-level permissions is an acknowledgeable finding', () => {
    expect(findings([{ actions: ['s3:GetObject'], resources: ['*'] }]).map((f) => f.code)).toEqual(['WILDCARD_RESOURCE']);
    expect(findings([{ actions: ['s3:GetObject'], resources: ['*'] }], 'identity', ['WILDCARD_RESOURCE'])).toEqual([]);
  });

  it('a KMS alias ARN does not fit kms:Decrypt, which applies to keys', () => {
    expect(problems([{ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:123456789012:alias/state'] }]).join()).toContain('no resource fits kms:Decrypt');
  });

  it('a malformed ARN', () => {
    expect(problems([{ actions: ['s3:GetObject'], resources: ['my-bucket/key'] }])[0]).toContain('not an ARN');
  });

  it('policy variables stand for some value', () => {
    expect(findings([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::home/${aws:username}/*'] }])).toEqual([]);
  });
});

describe('conditions (operators, keys and their types from iam-data)', () => {
  const list = (test: string, variable: string, values: string[]): StatementProps[] => [{ actions: ['s3:ListBucket'], resources: [BUCKET], conditions: [{ test, variable, values }] }];

  it('valid operators, with and without IfExists', () => {
    expect(findings(list('StringLikeIfExists', 's3:prefix', ['a/*']))).toEqual([]);
    expect(findings(list('NumericLessThanEquals', 's3:max-keys', ['1000']))).toEqual([]);
    expect(findings(list('Bool', 'aws:SecureTransport', ['true']))).toEqual([]);
  });

  it('an operator IAM does not have, and NullIfExists', () => {
    expect(problems(list('StringMatches', 's3:prefix', ['a']))[0]).toContain('IAM has no such condition operator');
    expect(problems(list('NullIfExists', 's3:prefix', ['true']))[0]).toContain('IAM has no such condition operator');
  });

  it('an unknown key', () => {
    expect(problems(list('StringLike', 's3:prefixes', ['a']))[0]).toContain("s3 has no condition key 's3:prefixes'");
    expect(problems(list('Bool', 'aws:SecureTransports', ['true']))[0]).toContain('not a global condition key');
  });

  it('a key that applies to no action of the statement', () => {
    const p = problems([{ actions: ['s3:GetObject'], resources: [`${BUCKET}/*`], conditions: [{ test: 'StringLike', variable: 's3:prefix', values: ['a'] }] }]);
    expect(p[0]).toContain('no action in this statement supports s3:prefix');
  });

  it('templated keys: aws:PrincipalTag/<tag>, aws:ResourceTag/<tag>', () => {
    expect(findings(list('StringEquals', 'aws:PrincipalTag/team', ['infra']))).toEqual([]);
    expect(
      findings([{ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:123456789012:key/k'], conditions: [{ test: 'StringEquals', variable: 'aws:ResourceTag/team', values: ['x'] }] }]),
    ).toEqual([]);
  });

  it('a multivalued key needs ForAnyValue or ForAllValues; a single-valued key takes neither', () => {
    const table = 'arn:aws:dynamodb:eu-west-1:123456789012:table/t';
    const item = (test: string): StatementProps[] => [{ actions: ['dynamodb:GetItem'], resources: [table], conditions: [{ test, variable: 'dynamodb:LeadingKeys', values: ['k'] }] }];
    expect(problems(item('StringLike'))[0]).toContain('dynamodb:LeadingKeys is multivalued (ArrayOfString)');
    expect(findings(item('ForAnyValue:StringLike'))).toEqual([]);
    expect(problems(list('ForAnyValue:StringLike', 's3:prefix', ['a']))[0]).toContain('s3:prefix is single-valued');
  });

  it('ForAllValues without a Null guard is true when the key is missing: acknowledgeable', () => {
    const table = 'arn:aws:dynamodb:eu-west-1:123456789012:table/t';
    const unguarded: StatementProps[] = [{ actions: ['dynamodb:GetItem'], resources: [table], conditions: [{ test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['k'] }] }];
    expect(findings(unguarded).map((f) => f.code)).toEqual(['FOR_ALL_VALUES_UNGUARDED']);
    const guarded: StatementProps[] = [
      {
        ...unguarded[0],
        conditions: [...unguarded[0].conditions!, { test: 'Null', variable: 'dynamodb:LeadingKeys', values: ['false'] }],
      },
    ];
    expect(findings(guarded)).toEqual([]);
  });

  it('an operator of the wrong type for the key', () => {
    expect(problems(list('NumericEquals', 's3:prefix', ['1']))[0]).toContain('Numeric operators do not compare s3:prefix, which is String');
  });

  it('wildcards only with Like operators; a value of exactly "*" is a literal', () => {
    expect(problems(list('StringEquals', 's3:prefix', ['env:/*']))[0]).toContain('StringEquals compares * and ? literally');
    expect(findings([{ actions: ['s3:PutObject'], resources: [`${BUCKET}/*.tflock`], conditions: [{ test: 'StringEquals', variable: 's3:if-none-match', values: ['*'] }] }])).toEqual([]);
  });

  it('Bool and Null take "true" or "false"; numeric operators take numbers', () => {
    expect(problems(list('Bool', 'aws:SecureTransport', ['yes']))[0]).toContain('Bool takes "true" or "false"');
    expect(problems(list('NumericLessThan', 's3:max-keys', ['ten']))[0]).toContain('not a number');
  });
});

describe('security findings (acknowledgeable by name)', () => {
  const role = 'arn:aws:iam::123456789012:role/app';

  it('iam:PassRole on "*" or without iam:PassedToService', () => {
    expect(findings([{ actions: ['iam:PassRole'], resources: [role] }]).map((f) => f.code)).toEqual(['PASS_ROLE_UNSCOPED']);
    expect(findings([{ actions: ['iam:PassRole'], resources: [role], conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com'] }] }])).toEqual([]);
  });

  it('Allow with NotResource', () => {
    expect(findings([{ actions: ['s3:GetObject'], notResources: [`${BUCKET}/secret/*`] }]).map((f) => f.code)).toEqual(['ALLOW_WITH_NOT']);
  });

  it('a service principal in a trust policy without aws:SourceAccount or aws:SourceArn', () => {
    const trust: StatementProps[] = [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }];
    expect(findings(trust, 'trust').map((f) => f.code)).toEqual(['SERVICE_PRINCIPAL_UNSCOPED']);
    expect(findings(trust, 'trust', ['SERVICE_PRINCIPAL_UNSCOPED'])).toEqual([]);
  });
});

describe('character set and size (IAM quotas page)', () => {
  it('only tab, LF, CR and U+0020 to U+00FF', () => {
    expect(problems([{ sid: 'A', actions: ['s3:GetObject'], resources: [`${BUCKET}/€`] }])[0]).toContain('holds U+20AC');
    expect(findings([{ actions: ['s3:GetObject'], resources: [`${BUCKET}/café`] }])).toEqual([]);
  });

  it('control characters other than tab, LF and CR (JSON writes them as escapes)', () => {
    expect(problems([{ actions: ['s3:GetObject'], resources: [`${BUCKET}/a\u0001b`] }])[0]).toContain('holds U+0001');
    expect(problems([{ actions: ['s3:GetObject'], resources: [`${BUCKET}/a\bb`] }])[0]).toContain('holds U+0008');
    expect(findings([{ actions: ['s3:GetObject'], resources: [`${BUCKET}/back\\slash\tand-tab`] }])).toEqual([]);
  });

  const resources = Array.from({ length: 160 }, (_, i) => `${BUCKET}/path/number/${i}/terraform.tfstate`);
  const big = policyDocument({ statements: [{ actions: ['s3:GetObject'], resources }] });
  const size = JSON.stringify(big).length; // between the managed (6,144) and role inline (10,240) limits

  it('counts minified characters against the limit of the kind', () => {
    expect(size).toBeGreaterThan(6_144);
    expect(size).toBeLessThan(10_240);
    expect(policyFindings(big, { kind: 'role-inline' })).toEqual([]);
    expect(policyFindings(big, { kind: 'managed' })[0]).toMatchObject({ field: '(policy size)', value: size });
    expect(policyFindings(big, { kind: 'user-inline' })[0].problem).toContain('over the 2048 allowed for the inline policies of one user');
  });

  it('a caller may pass its own limit', () => {
    expect(policyFindings(big, { kind: 'managed', sizeLimit: 10_000 })).toEqual([]);
  });
});

describe('validatePolicy', () => {
  it('throws a PolicyValidationError naming the context, each field, value and fix', () => {
    const doc = policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: [BUCKET] }] });
    expect(() => validatePolicy(doc, 'stack/thing', { kind: 'managed' })).toThrow(PolicyValidationError);
    expect(() => validatePolicy(doc, 'stack/thing', { kind: 'managed' })).toThrow(
      /^stack\/thing: 2 problems\n- Statement\[0\]\.Resource: \["arn:aws:s3:::my-bucket"\]: no resource fits s3:GetObject.*Fix: /,
    );
  });
});

describe('fixes found by the module families built on the core', () => {
  it('resource types are found whatever their case (actions name them "Secret", the data "secret")', () => {
    const secrets = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci-web/*';
    expect(findings([{ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] }])).toEqual([]);
    expect(problems([{ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:s3:::b/*'] }]).join()).toContain('no resource fits secretsmanager:GetSecretValue');
  });

  it("an ARN's last part may hold '/' unless another type of the service extends it (a table's stream)", () => {
    const table = 'arn:aws:dynamodb:eu-west-1:123456789012:table/locks';
    expect(findings([{ actions: ['dynamodb:GetItem'], resources: [table] }])).toEqual([]);
    expect(problems([{ actions: ['dynamodb:GetItem'], resources: [`${table}/stream/2026`] }]).join()).toContain('no resource fits dynamodb:GetItem');
  });

  it("OIDC providers' aud and sub claims are condition keys of a web identity trust policy", () => {
    const github = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const trust: StatementProps[] = [
      {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [github] }],
        conditions: [
          { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
          { test: 'StringLike', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:org/app:*'] },
        ],
      },
    ];
    expect(findings(trust, 'trust')).toEqual([]);
    const onAssumeRole = [{ ...trust[0], actions: ['sts:AssumeRole'] }];
    expect(problems(onAssumeRole, 'trust').join()).toContain('no action in this statement supports token.actions.githubusercontent.com:aud');
    expect(problems([{ ...trust[0], conditions: [{ test: 'StringEquals', variable: 'token.actions.githubusercontent.com:nonsense', values: ['x'] }] }], 'trust')[0]).toContain(
      "sts has no condition key 'token.actions.githubusercontent.com:nonsense'",
    );
  });
});
