import { POLICY_SIZE_LIMITS } from '../../../modules/core';
import { awsManagedPolicyArn, bucketPolicy, organizationsTargetKind, permissionsBoundaryArnFindings, serviceControlPolicy, validateTargets } from '../../../modules/policy-types';

const DENY_ALL_STATEMENT = { effect: 'Deny' as const, actions: ['*'], resources: ['*'] };

describe('serviceControlPolicy', () => {
  it('renders props and documents canonically', () => {
    const doc = serviceControlPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Resource: '*', Action: ['organizations:LeaveOrganization'] }] } as never);
    expect(JSON.stringify(doc)).toBe('{"Version":"2012-10-17","Statement":[{"Action":"organizations:LeaveOrganization","Effect":"Deny","Resource":"*"}]}');
  });

  it('an SCP with a Principal is an error', () => {
    expect(() => serviceControlPolicy({ statements: [{ ...DENY_ALL_STATEMENT, principals: [{ type: 'AWS', identifiers: ['*'] }] }] })).toThrow(
      /serviceControlPolicy: 1 problem\n- Statement\[0\]\.Principal: \{"AWS":"\*"\}: a service-control policy .* takes no Principal/,
    );
  });

  it('an SCP over its size limit (10,240 characters as saved) is an error; at the limit it is not', () => {
    const padded = (n: number) => ({ statements: [{ ...DENY_ALL_STATEMENT, sid: 'A'.repeat(n) }] });
    const base = JSON.stringify(serviceControlPolicy(padded(1))).length - 1;
    const limit = POLICY_SIZE_LIMITS['service-control'].limit;
    expect(limit).toBe(10_240);
    expect(() => serviceControlPolicy(padded(limit - base))).not.toThrow();
    expect(() => serviceControlPolicy(padded(limit - base + 1))).toThrow(/\(policy size\): 10241: 10241 characters is over the 10240 allowed for a service control policy/);
  });

  it('a size limit of its own', () => {
    expect(() => serviceControlPolicy({ statements: [DENY_ALL_STATEMENT] }, { context: 'x', sizeLimit: 50 })).toThrow(/over the 50 allowed/);
  });
});

describe('Organizations target ids', () => {
  it.each([
    ['r-ab12', 'root'],
    ['123456789012', 'account'],
    ['ou-ab12-cd34ef56', 'organizationalUnit'],
  ])('%s is a %s', (id, kind) => expect(organizationsTargetKind(id)).toBe(kind));

  it.each(['r-ab1', 'R-AB12', '12345678901', '1234567890123', 'ou-ab12-cd34', 'ou-ab12', 'o-abcd1234'])('%s is none', (id) =>
    expect(() => validateTargets('scp', 'targets', [id])).toThrow(/targets\[0\].*not a root/),
  );
});

describe('awsManagedPolicyArn', () => {
  it('by name', () => expect(awsManagedPolicyArn('ReadOnlyAccess')).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess'));
  it('with the path AWS lists, written either way', () => {
    expect(awsManagedPolicyArn('AWS_ConfigRole', 'service-role/')).toBe('arn:aws:iam::aws:policy/service-role/AWS_ConfigRole');
    expect(awsManagedPolicyArn('AWS_ConfigRole', '/service-role/')).toBe('arn:aws:iam::aws:policy/service-role/AWS_ConfigRole');
  });
  it('a name outside the IAM policy name rules is an error', () => {
    expect(() => awsManagedPolicyArn('Read Only')).toThrow(/awsManagedPolicyArn: 1 problem\n- name: "Read Only": an IAM policy name is 1 to 128/);
    expect(() => awsManagedPolicyArn('x'.repeat(129))).toThrow(/an IAM policy name/);
  });
  it('a bad path is an error', () => expect(() => awsManagedPolicyArn('X', 'service-role')).toThrow(/- path: "\/service-role"/));
});

describe('permissionsBoundaryArnFindings', () => {
  it('a managed policy ARN is fine', () => {
    expect(permissionsBoundaryArnFindings('b', 'arn:aws:iam::111111111111:policy/PermissionsBoundary')).toEqual([]);
    expect(permissionsBoundaryArnFindings('b', 'arn:aws:iam::aws:policy/PowerUserAccess')).toEqual([]);
  });
  it.each(['arn:aws:iam::111111111111:role/Boundary', 'PermissionsBoundary', 'arn:aws:iam::1111:policy/X', 'arn:aws:s3:::bucket'])('a boundary that is not a managed policy: %s', (arn) =>
    expect(permissionsBoundaryArnFindings('boundary', arn)[0].problem).toMatch(/^not an IAM managed policy ARN/),
  );
});

describe('bucketPolicy', () => {
  const principal = [{ type: 'AWS', identifiers: ['arn:aws:iam::111111111111:role/application-roles/ApplicationRole'] }];
  it('a bucket policy without a principal is an error, reported once', () => {
    const e = (() => {
      try {
        bucketPolicy({ statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::lake/*'] }] }, 'lake');
      } catch (err) {
        return err as Error;
      }
      throw new Error('no error');
    })();
    expect(e.message).toMatch(/^bucketPolicy: 1 problem\n- Statement\[0\]\.Principal: "Statement\[0\]": a bucket policy without a principal/);
  });

  it('a resource outside its bucket is an error', () => {
    expect(() => bucketPolicy({ statements: [{ principals: principal, actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other/*'] }] }, 'lake')).toThrow(
      /Statement\[0\]\.Resource\[0\]: "arn:aws:s3:::other\/\*": a resource outside its bucket/,
    );
    expect(() => bucketPolicy({ statements: [{ principals: principal, actions: ['s3:GetObject'], resources: ['arn:aws:s3:::lake*'] }] }, 'lake')).toThrow(/outside its bucket/);
    expect(() => bucketPolicy({ statements: [{ principals: principal, actions: ['s3:GetObject'], resources: ['*'] }] }, 'lake')).toThrow(/outside its bucket/);
  });

  it('principals: 12-digit account ids, account roots and role ARNs; anything else is an error', () => {
    const ok = (id: string) =>
      bucketPolicy({ statements: [{ principals: [{ type: 'AWS', identifiers: [id] }], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::lake/*'] }] }, 'lake', {
        context: 'bucketPolicy',
        account: '111111111111',
      });
    expect(() => ok('111111111111')).not.toThrow();
    expect(() => ok('arn:aws:iam::111111111111:root')).not.toThrow();
    expect(() => ok('arn:aws:iam::111111111111:role/App')).not.toThrow();
    expect(() => ok('11111111111')).toThrow(/"11111111111": an account ID is exactly 12 digits/);
    expect(() => ok('arn:aws:iam::1111111111111:role/App')).toThrow(/an account ID is exactly 12 digits/);
    expect(() => ok('application-team')).toThrow(/not an account ID \(12 digits\), an account root ARN or a role ARN/);
  });

  it('Deny to "*" on the bucket and its objects (TLS only) is fine', () => {
    expect(() =>
      bucketPolicy(
        {
          statements: [
            {
              effect: 'Deny',
              principals: [{ type: '*', identifiers: ['*'] }],
              actions: ['s3:*'],
              resources: ['arn:aws:s3:::lake', 'arn:aws:s3:::lake/*'],
              conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
            },
          ],
        },
        'lake',
      ),
    ).not.toThrow();
  });
});
