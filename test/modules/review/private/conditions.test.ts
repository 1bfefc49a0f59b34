import { canonicalCondition, conditionId, conditionImplies } from '../../../../modules/review/private/conditions';
import type { ConditionMap } from '../../../../modules/core';

const c = (map: ConditionMap) => canonicalCondition(map);
const implies = (specific: ConditionMap, general: ConditionMap) => conditionImplies(c(specific), c(general));

describe('canonicalCondition', () => {
  it('is the same for the same condition written in another order, with one-element lists as strings', () => {
    const a = c({ StringLike: { 's3:prefix': ['b/', 'a/'] }, Bool: { 'aws:SecureTransport': 'true' } });
    const b = c({ Bool: { 'aws:SecureTransport': ['true'] }, StringLike: { 's3:prefix': ['a/', 'b/', 'a/'] } });
    expect(a).toEqual(b);
    expect(conditionId(a)).toBe(conditionId(b));
  });

  it('reads booleans and numbers a policy writes unquoted as their text', () => {
    expect(c({ Bool: { 'aws:SecureTransport': false as unknown as string } })).toEqual([{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }]);
  });

  it('ignores the case of keys (IAM user guide: condition key names are not case-sensitive)', () => {
    expect(conditionId(c({ StringEquals: { 'IAM:PassedToService': 'ec2.amazonaws.com' } }))).toBe(conditionId(c({ StringEquals: { 'iam:passedtoservice': 'ec2.amazonaws.com' } })));
  });
});

describe('conditionImplies: every request the specific condition lets through, the general one does', () => {
  it('no condition is implied by anything, and implies only no condition', () => {
    expect(implies({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, {})).toBe(true);
    expect(implies({}, { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe(false);
  });

  it('positive operators: fewer values are stricter', () => {
    expect(implies({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } })).toBe(true);
    expect(implies({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } }, { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe(false);
  });

  it('Like operators compare values as patterns; Equals operators do not', () => {
    expect(implies({ StringLike: { 's3:prefix': 'env:/dev/*' } }, { StringLike: { 's3:prefix': 'env:/*' } })).toBe(true);
    expect(implies({ StringLike: { 's3:prefix': 'env:/*' } }, { StringLike: { 's3:prefix': 'env:/dev/*' } })).toBe(false);
    expect(implies({ StringEquals: { 's3:prefix': 'env:/dev' } }, { StringEquals: { 's3:prefix': 'env:/*' } })).toBe(false);
  });

  it('negated operators: more values are stricter', () => {
    expect(implies({ StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } }, { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } })).toBe(true);
    expect(implies({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }, { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } })).toBe(false);
    expect(implies({ StringNotLike: { 's3:prefix': 'a/*' } }, { StringNotLike: { 's3:prefix': 'a/b/*' } })).toBe(true);
  });

  it('IfExists also holds without the key, so the operator without it is stricter', () => {
    expect(implies({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, { StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe(true);
    expect(implies({ StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }, { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe(false);
  });

  it('set qualifiers and operators must agree', () => {
    expect(implies({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': 'b/x' } }, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': 'b/*' } })).toBe(true);
    expect(implies({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': 'b/x' } }, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': 'b/*' } })).toBe(false);
    expect(implies({ StringLike: { 'aws:RequestedRegion': 'eu-west-1' } }, { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe(false);
  });

  it('ARN operators compare part by part and read wildcards', () => {
    expect(implies({ ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:1:topic' } }, { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:1:*' } })).toBe(false); // operators differ
    expect(implies({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:1:topic' } }, { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:1:*' } })).toBe(true);
    expect(implies({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:2:topic' } }, { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:1:*' } })).toBe(false);
  });

  it('numbers, dates, addresses and booleans only when equal', () => {
    expect(implies({ Bool: { 'aws:SecureTransport': 'TRUE' } }, { Bool: { 'aws:SecureTransport': 'true' } })).toBe(true);
    expect(implies({ NumericLessThan: { 's3:max-keys': '5' } }, { NumericLessThan: { 's3:max-keys': '10' } })).toBe(false);
  });

  it('more clauses are stricter', () => {
    const one = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const two = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1', 'aws:PrincipalTag/team': 'a' } };
    expect(implies(two, one)).toBe(true);
    expect(implies(one, two)).toBe(false);
  });
});
