/**
 * Checks for inputs that name resources by ARN, one resource each: the ECR repositories, ECS services and
 * clusters, IAM roles, S3 buckets and DynamoDB tables of the CI policy modules. Which ARN is of which
 * resource type comes from the Service Authorization Reference's ARN templates, through the core's
 * `arnResourceTypes` (iam-data); nothing here lists ARN formats of its own.
 */
import { arnResourceTypes, type ParsedArn, parseArn } from '../../core/arn';
import type { Finding } from '../../core/policy-error';

/** One kind of resource an input names. */
export interface NamedResourceKind {
  /** The ARN's service, e.g. `ecr`. */
  readonly service: string;
  /** The resource type, as the Service Authorization Reference names it, e.g. `repository`. */
  readonly resourceType: string;
  /** What it is called in messages, e.g. 'ECR repository'. */
  readonly what: string;
  /** An ARN of that kind, for the fix. */
  readonly example: string;
  /** Whether its ARN has a region (IAM's have none). */
  readonly regional: boolean;
  /**
   * Whether its ARN has an account (an S3 bucket's has none).
   * @default true
   */
  readonly hasAccount?: boolean;
}

/**
 * Findings for one ARN that must name exactly one resource of `kind`. A wildcard is refused: `*` or `?`
 * would grant every resource it matches, including ones created later, where the caller named one.
 */
export function namedArnFindings(field: string, arn: string, kind: NamedResourceKind): Finding[] {
  if (typeof arn !== 'string' || arn === '') {
    return [{ field, value: arn, problem: `not an ${kind.what} ARN`, fix: `write it like ${kind.example}` }];
  }
  if (arn.includes('*') || arn.includes('?')) {
    return [
      {
        field,
        value: arn,
        problem: `holds a wildcard, so it would grant every ${kind.what} it matches (and any created later), not one named`,
        fix: `name each ${kind.what} by its full ARN, e.g. ${kind.example}`,
      },
    ];
  }
  const parsed = parseArn(arn);
  if (parsed === undefined || parsed.service !== kind.service || !arnResourceTypes(arn).includes(kind.resourceType)) {
    return [{ field, value: arn, problem: `not an ${kind.what} ARN`, fix: `write it like ${kind.example}` }];
  }
  // The ARN templates' variables match empty text too, so `repository/` or `service//web` fit them.
  if (parsed.resource.split('/').some((segment) => segment === '')) {
    return [{ field, value: arn, problem: `has an empty name or path segment, so it names no ${kind.what}`, fix: `write the full ARN, e.g. ${kind.example}` }];
  }
  if ((kind.hasAccount !== false && parsed.account === '') || (kind.regional && parsed.region === '')) {
    return [
      {
        field,
        value: arn,
        problem: `has no ${parsed.account === '' ? 'account' : 'region'}, so it names no ${kind.what}`,
        fix: `write the full ARN, e.g. ${kind.example}`,
      },
    ];
  }
  return [];
}

/** Findings for a list of ARNs of `kind`, each named once; unless `optional`, the list may not be empty. */
export function namedArnListFindings(field: string, arns: readonly string[] | undefined, kind: NamedResourceKind, optional = false): Finding[] {
  if (optional && (arns === undefined || (Array.isArray(arns) && arns.length === 0))) return [];
  // One ARN where a list goes is a wrong type, not an empty list: say so (the modules check types first too).
  if (arns !== undefined && !Array.isArray(arns)) {
    return [
      {
        field,
        value: arns,
        problem: `is ${typeof arns === 'string' ? 'a string' : 'not a list'}: this takes a list of ${kind.what} ARNs, even of one`,
        fix: `put it in a list: [${JSON.stringify(arns) ?? String(arns)}]`,
        code: 'INPUT_TYPE',
      },
    ];
  }
  if (arns === undefined || arns.length === 0) {
    return [{ field, value: arns ?? [], problem: `the list is empty, so the policy would grant nothing on any ${kind.what}`, fix: `name at least one, e.g. ['${kind.example}']` }];
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  arns.forEach((arn, i) => {
    findings.push(...namedArnFindings(`${field}[${i}]`, arn, kind));
    if (seen.has(arn)) findings.push({ field: `${field}[${i}]`, value: arn, problem: 'listed twice', fix: 'list it once' });
    seen.add(arn);
  });
  return findings;
}

/** The parts of an ARN that `namedArnFindings` accepted. */
export function parsedNamedArn(arn: string): ParsedArn {
  return parseArn(arn)!;
}
