import { ArnTemplate, globRegExp } from '../../../../modules/core/private/patterns';

describe('globRegExp: IAM wildcards', () => {
  it('* is any run, ? one character, everything else literal', () => {
    expect(globRegExp('env:/*/terraform.tfstate').test('env:/dev/terraform.tfstate')).toBe(true);
    expect(globRegExp('env:/*/terraform.tfstate').test('env:/a/b/terraform.tfstate')).toBe(true);
    expect(globRegExp('a?c').test('abc')).toBe(true);
    expect(globRegExp('a?c').test('ac')).toBe(false);
    expect(globRegExp('a.c').test('abc')).toBe(false);
    expect(globRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
  });
});

describe('ArnTemplate: does some ARN of a resource type match a policy resource?', () => {
  // A bucket's name holds no "/": S3's object type extends the bucket ARN with "/${ObjectName}".
  const bucket = new ArnTemplate('arn:${Partition}:s3:::${BucketName}', false);
  const object = new ArnTemplate('arn:${Partition}:s3:::${BucketName}/${ObjectName}');
  const key = new ArnTemplate('arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}');
  const role = new ArnTemplate('arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}');

  it('a bucket name holds no "/", an object name may', () => {
    expect(bucket.overlaps('arn:aws:s3:::b')).toBe(true);
    expect(bucket.overlaps('arn:aws:s3:::b/k')).toBe(false);
    expect(object.overlaps('arn:aws:s3:::b')).toBe(false);
    expect(object.overlaps('arn:aws:s3:::b/env:/dev/k')).toBe(true);
  });

  it('a wildcard may stand for text that crosses a separator', () => {
    expect(object.overlaps('arn:aws:s3:::b*')).toBe(true);
    expect(bucket.overlaps('arn:aws:s3:::b*')).toBe(true);
    expect(object.overlaps('arn:aws:s3:::*')).toBe(true);
    expect(object.overlaps('arn:aws:s3:::b?k')).toBe(true);
  });

  it('a wildcard after the fifth colon cannot change the segments before it', () => {
    const accessPointObject = new ArnTemplate('arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}');
    expect(accessPointObject.overlaps('arn:aws:s3:::b/env:/*/k')).toBe(false);
    expect(accessPointObject.overlaps('arn:aws:s3:::b/env:/*/k')).toBe(false); // the same answer from the cache
    expect(accessPointObject.overlaps('arn:aws:s3:eu-west-1:123456789012:accesspoint/ap/object/*')).toBe(true);
    expect(accessPointObject.overlaps('arn:aws:s3:eu-west-1:123456789012:access*')).toBe(true);
    expect(accessPointObject.overlaps('arn:aws:s3:*')).toBe(true);
  });

  it('literal parts must agree', () => {
    expect(key.overlaps('arn:aws:kms:eu-west-1:123456789012:alias/a')).toBe(false);
    expect(key.overlaps('arn:aws:kms:*:*:key/*')).toBe(true);
    expect(role.overlaps('arn:aws:iam::123456789012:role/ci/deployer')).toBe(true);
    expect(role.overlaps('arn:aws:iam::123456789012:user/ci')).toBe(false);
    expect(role.overlaps('arn:aws:s3:::b')).toBe(false);
  });
});
