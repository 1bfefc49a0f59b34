import { readFileSync } from 'fs';
import { join } from 'path';
import { canonicalPolicy, policyFindings, PolicyValidationError } from '../../../modules/core';
import {
  applicationRolePolicy,
  dataLakeBucketPolicy,
  DATA_LAKE_ACKNOWLEDGED,
  developerReadOnlyPolicy,
  EXAMPLE_CORP_READ_ONLY_ACCESS_ARN,
  exampleCorpBoundary,
  exampleCorpScp,
} from '../../../modules/policy-types';

const FIXTURES = join(__dirname, '../../fixtures/policy-types');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const fixture = (name: string) => canonicalPolicy(JSON.parse(fixtureText(name)));

describe('Example Corp policies (seed numbering)', () => {
  it('Policy 1: exampleCorpScp is the seed SCP', () => {
    expect(JSON.stringify(exampleCorpScp())).toBe(JSON.stringify(fixture('policy-1-scp.json')));
  });

  it('Policy 2: exampleCorpBoundary is the seed boundary', () => {
    expect(JSON.stringify(exampleCorpBoundary())).toBe(JSON.stringify(fixture('policy-2-boundary.json')));
  });

  it('Policy 2: the boundary Resource "*" is flagged WILDCARD_RESOURCE and acknowledged by name', () => {
    const found = policyFindings(fixture('policy-2-boundary.json'), { kind: 'managed' });
    expect(found.map((f) => f.code)).toEqual(['WILDCARD_RESOURCE']);
  });

  it('Policy 3: developerReadOnlyPolicy is the seed developer policy; only WILDCARD_RESOURCE is found in the seed', () => {
    expect(JSON.stringify(developerReadOnlyPolicy())).toBe(JSON.stringify(fixture('policy-3-developer-read-only.json')));
    expect(policyFindings(fixture('policy-3-developer-read-only.json'), { kind: 'identity' }).map((f) => f.code)).toEqual(['WILDCARD_RESOURCE']);
  });

  it('Policy 5: applicationRolePolicy is the seed application policy (ARNs joined)', () => {
    expect(JSON.stringify(applicationRolePolicy())).toBe(JSON.stringify(fixture('policy-5-application-role.json')));
  });

  it('Policy 5: parameterised buckets', () => {
    const doc = applicationRolePolicy({ appBucket: 'app-bucket', dataLakeBucket: 'lake-bucket' });
    expect(doc.Statement.map((s) => s.Resource)).toEqual(['arn:aws:s3:::app-bucket/*', 'arn:aws:s3:::lake-bucket/*']);
  });

  it('Policy 6: dataLakeBucketPolicy is the seed bucket policy', () => {
    expect(JSON.stringify(dataLakeBucketPolicy())).toBe(JSON.stringify(fixture('policy-6-data-lake-bucket.json')));
  });

  it('Policy 6: parameterised', () => {
    const doc = dataLakeBucketPolicy({ bucket: 'lake', applicationAccount: '333333333333', roleName: 'App', rolePath: '/' });
    expect(doc.Statement[0]).toEqual({ Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:role/App' }, Resource: 'arn:aws:s3:::lake/*' });
  });

  it('Policy 6: an application account that is not 12 digits is an error', () => {
    expect(() => dataLakeBucketPolicy({ applicationAccount: '11111111111' })).toThrow(/dataLakeBucketPolicy: 1 problem\n- Statement\[0\]\.Principal\.AWS\[0\]: .*an account ID is exactly 12 digits/);
  });

  it('Policy 7: ReadOnlyAccess by name', () => {
    expect(EXAMPLE_CORP_READ_ONLY_ACCESS_ARN).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  it('every seed policy has no other finding (actions exist in iam-data, resources fit their actions)', () => {
    expect(policyFindings(fixture('policy-1-scp.json'), { kind: 'service-control' })).toEqual([]);
    expect(policyFindings(fixture('policy-5-application-role.json'), { kind: 'identity' })).toEqual([]);
    // The data lake's bucket is read by a role of the application account: CROSS_ACCOUNT, accepted with the seed's reason.
    expect(policyFindings(fixture('policy-6-data-lake-bucket.json'), { kind: 's3-bucket', account: '222222222222', acknowledge: DATA_LAKE_ACKNOWLEDGED })).toEqual([]);
    expect(policyFindings(fixture('policy-6-data-lake-bucket.json'), { kind: 's3-bucket', account: '222222222222' }).map((f) => f.code)).toEqual(['CROSS_ACCOUNT']);
  });

  it('fix: the second copy of Policy 2 lacks a comma after "Id"; with it, it is the first copy', () => {
    const second = fixtureText('policy-2-boundary-second-copy.json');
    expect(() => JSON.parse(second.replace('"PermissionsBoundaryPolicy",', '"PermissionsBoundaryPolicy"'))).toThrow(SyntaxError);
    expect(JSON.stringify(fixture('policy-2-boundary-second-copy.json'))).toBe(JSON.stringify(exampleCorpBoundary()));
  });

  it('fix: Policy 5 breaks both bucket ARNs over two lines; joined, they are object ARNs the core accepts', () => {
    const broken = fixtureText('policy-5-application-role.json').replace(/DOC-EXAMPLE-BUCKET(\d)/g, 'DOC-EXAMPLE-\n BUCKET$1');
    expect(() => JSON.parse(broken)).toThrow(SyntaxError); // a raw newline inside a JSON string
    expect(applicationRolePolicy().Statement.map((s) => s.Resource)).toEqual(['arn:aws:s3:::DOC-EXAMPLE-BUCKET1/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET2/*']);
  });

  it('the boundary without its acknowledgement is an error naming WILDCARD_RESOURCE', () => {
    const doc = exampleCorpBoundary();
    expect(() => {
      const found = policyFindings(doc, { kind: 'managed' });
      if (found.length > 0) throw new PolicyValidationError('boundary', found);
    }).toThrow(/WILDCARD_RESOURCE/);
  });
});
