/**
 * IAM condition operators, from the IAM User Guide, "IAM JSON policy elements: Condition operators"
 * (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html) and
 * "Multivalued context keys" (reference_policies_condition-single-vs-multi-valued-context-keys.html).
 */

/** Operator families, and the condition key types (iam-data's `type`) each may compare. */
const FAMILIES = {
  String: {
    operators: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    // String operators also compare ARN-typed keys (the IAM guide's aws:PrincipalArn examples do).
    keyTypes: ['String', 'ARN'],
  },
  Numeric: {
    operators: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    keyTypes: ['Numeric'],
  },
  Date: {
    operators: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    keyTypes: ['Date'],
  },
  Bool: { operators: ['Bool'], keyTypes: ['Bool'] },
  Binary: { operators: ['BinaryEquals'], keyTypes: ['Binary'] },
  IpAddress: { operators: ['IpAddress', 'NotIpAddress'], keyTypes: ['IPAddress'] },
  Arn: { operators: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'], keyTypes: ['ARN', 'String'] },
  Null: { operators: ['Null'], keyTypes: [] as string[] },
} as const;

export type OperatorFamily = keyof typeof FAMILIES;

export interface ParsedOperator {
  /** `ForAllValues` or `ForAnyValue`, when the operator has a set qualifier. */
  readonly qualifier?: 'ForAllValues' | 'ForAnyValue';
  /** The base operator, without qualifier or `IfExists`. */
  readonly base: string;
  readonly ifExists: boolean;
  readonly family: OperatorFamily;
}

/** Every base operator IAM has (without `ForAllValues:`/`ForAnyValue:` or `IfExists`), family by family. */
export const CONDITION_OPERATORS: readonly string[] = Object.values(FAMILIES).flatMap(({ operators }) => operators);

const FAMILY_OF = new Map<string, OperatorFamily>(Object.entries(FAMILIES).flatMap(([family, { operators }]) => operators.map((op): [string, OperatorFamily] => [op, family as OperatorFamily])));

/** Parses `ForAllValues:StringLikeIfExists` and the like; undefined for an operator IAM does not have. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  const match = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/.exec(operator);
  if (!match) return undefined;
  const [, qualifier, base, ifExists] = match;
  const family = FAMILY_OF.get(base);
  // `Null` has no IfExists form: it already tests for presence.
  if (family === undefined || (family === 'Null' && ifExists)) return undefined;
  return {
    ...(qualifier !== undefined && { qualifier: qualifier as 'ForAllValues' | 'ForAnyValue' }),
    base,
    ifExists: ifExists !== undefined,
    family,
  };
}

/** Whether an operator of `family` may compare a key of iam-data `type` (`ArrayOf` stripped). */
export function familyFitsKeyType(family: OperatorFamily, keyType: string): boolean {
  if (family === 'Null') return true;
  return (FAMILIES[family].keyTypes as readonly string[]).includes(keyType.replace(/^ArrayOf/, ''));
}

/** Operators that read `*` and `?` as wildcards: the `Like` ones, and the ARN ones, which all do. */
export function readsWildcards(parsed: ParsedOperator): boolean {
  return parsed.base.endsWith('Like') || parsed.family === 'Arn';
}
