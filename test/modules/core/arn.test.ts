import { arnResourceTypes, parseArn } from '../../../modules/core';

describe('parseArn', () => {
  it('splits the six parts; the resource part keeps its colons', () => {
    expect(parseArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/x:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'eu-west-1',
      account: '123456789012',
      resource: 'log-group:/aws/x:*',
    });
  });

  it('rejects what is not an ARN', () => {
    expect(parseArn('my-bucket')).toBeUndefined();
    expect(parseArn('arn:aws:s3::')).toBeUndefined();
    expect(parseArn('arn::s3:::b')).toBeUndefined();
  });
});

describe('arnResourceTypes: resource types from iam-data ARN templates', () => {
  it.each([
    ['arn:aws:s3:::my-bucket', 'bucket'],
    ['arn:aws:s3:::my-bucket/terraform.tfstate', 'object'],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/locks', 'table'],
    ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'key'],
    ['arn:aws:kms:eu-west-1:123456789012:alias/state', 'alias'],
    ['arn:aws:iam::123456789012:role/ci/deploy', 'role'],
  ])('%s is a %s', (arn, type) => {
    expect(arnResourceTypes(arn)).toContain(type);
  });

  it('an object is not a bucket, an alias is not a key', () => {
    expect(arnResourceTypes('arn:aws:s3:::my-bucket/k')).not.toContain('bucket');
    expect(arnResourceTypes('arn:aws:kms:eu-west-1:123456789012:alias/state')).not.toContain('key');
  });

  it('an unknown service has no types', () => {
    expect(arnResourceTypes('arn:aws:nosuchservice:::x')).toEqual([]);
  });
});
