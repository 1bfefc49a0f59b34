import { canonicalPolicy, policyDocument, policyStatement } from '../../../modules/core';

// Rendering rules of the AWS provider's aws_iam_policy_document (policy_model.go), iam-facts.md section 1.
describe('policyDocument renders as aws_iam_policy_document does', () => {
  it('document keys: Version, then Id, then Statement', () => {
    const doc = policyDocument({ id: 'p1', statements: [{ actions: ['s3:GetObject'], resources: ['*'] }] });
    expect(Object.keys(doc)).toEqual(['Version', 'Id', 'Statement']);
    expect(doc.Version).toBe('2012-10-17');
    expect(Object.keys(policyDocument({ statements: [] }))).toEqual(['Version', 'Statement']);
  });

  it('statement keys in alphabetical order, whatever order the props are in', () => {
    const statement = policyStatement({
      sid: 'All',
      resources: ['r'],
      principals: [{ type: 'AWS', identifiers: ['a'] }],
      notResources: ['nr'],
      notPrincipals: [{ type: 'AWS', identifiers: ['np'] }],
      notActions: ['s3:Put*'],
      effect: 'Deny',
      conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      actions: ['s3:Get*'],
    });
    expect(Object.keys(statement)).toEqual(['Action', 'Condition', 'Effect', 'NotAction', 'NotPrincipal', 'NotResource', 'Principal', 'Resource', 'Sid']);
  });

  it('Effect defaults to Allow; empty lists and an empty Sid are left out', () => {
    expect(policyStatement({ actions: ['s3:GetObject'], resources: [], sid: '' })).toEqual({ Action: 's3:GetObject', Effect: 'Allow' });
  });

  it('actions and resources: duplicates removed, reverse lexicographic order, one written as a string', () => {
    const statement = policyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObject'],
      resources: ['arn:aws:s3:::b/a', 'arn:aws:s3:::b/c', 'arn:aws:s3:::b/B'],
    });
    expect(statement.Action).toEqual(['s3:PutObject', 's3:GetObject', 's3:DeleteObject']);
    // Byte order: upper case sorts before lower case, so "B" comes last in reverse.
    expect(statement.Resource).toEqual(['arn:aws:s3:::b/c', 'arn:aws:s3:::b/a', 'arn:aws:s3:::b/B']);
    expect(policyStatement({ actions: ['s3:GetObject', 's3:GetObject'] }).Action).toBe('s3:GetObject');
  });

  it('conditions: operators and keys sorted, values kept in the order given, one value written as a string', () => {
    const statement = policyStatement({
      actions: ['s3:ListBucket'],
      conditions: [
        { test: 'StringLike', variable: 's3:prefix', values: ['z', 'a'] },
        { test: 'NumericLessThanEquals', variable: 's3:max-keys', values: ['1000'] },
        { test: 'StringLike', variable: 's3:delimiter', values: ['/'] },
      ],
    });
    expect(JSON.stringify(statement.Condition)).toBe('{"NumericLessThanEquals":{"s3:max-keys":"1000"},"StringLike":{"s3:delimiter":"/","s3:prefix":["z","a"]}}');
  });

  it('the same operator and key twice: values appended', () => {
    const statement = policyStatement({
      actions: ['s3:ListBucket'],
      conditions: [
        { test: 'StringLike', variable: 's3:prefix', values: ['b'] },
        { test: 'StringLike', variable: 's3:prefix', values: ['a'] },
      ],
    });
    expect(statement.Condition).toEqual({ StringLike: { 's3:prefix': ['b', 'a'] } });
  });

  it('principals: "*" alone renders as "*"; types sorted, identifiers reverse-sorted and distinct', () => {
    expect(policyStatement({ actions: ['sts:AssumeRole'], principals: [{ type: '*', identifiers: ['*'] }] }).Principal).toBe('*');
    const statement = policyStatement({
      actions: ['sts:AssumeRole'],
      principals: [
        { type: 'Service', identifiers: ['ec2.amazonaws.com'] },
        { type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] },
        { type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root'] },
      ],
    });
    expect(JSON.stringify(statement.Principal)).toBe('{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::111111111111:root"],"Service":"ec2.amazonaws.com"}');
  });

  it('canonicalPolicy re-renders hand-written JSON the same way', () => {
    const handWritten = {
      Statement: { Sid: 'A', Resource: ['r2', 'r1'], Effect: 'Allow', Action: ['s3:GetObject'] },
      Version: '2012-10-17',
    };
    expect(JSON.stringify(canonicalPolicy(handWritten))).toBe('{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":["r2","r1"],"Sid":"A"}]}');
  });

  it('canonicalPolicy of a canonical document is that document', () => {
    const doc = policyDocument({
      statements: [
        {
          sid: 'X',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: ['arn:aws:s3:::b/*'],
          conditions: [{ test: 'StringEquals', variable: 's3:if-none-match', values: ['*'] }],
        },
      ],
    });
    expect(JSON.stringify(canonicalPolicy(JSON.parse(JSON.stringify(doc))))).toBe(JSON.stringify(doc));
  });

  it('canonicalPolicy writes unquoted numbers and booleans in conditions as strings (IAM grammar: quotes are optional for them)', () => {
    const handWritten = JSON.parse(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericGreaterThan":{"aws:MultiFactorAuthAge":[3600,7200]}}}]}',
    );
    expect(JSON.stringify(canonicalPolicy(handWritten))).toBe(
      '{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"},"NumericGreaterThan":{"aws:MultiFactorAuthAge":["3600","7200"]}},"Effect":"Deny","Resource":"*"}]}',
    );
  });
});
