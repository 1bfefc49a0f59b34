import { serviceExists, serviceResourceTypes } from './private/iam-data';
import { resourceTemplate } from './private/resource-templates';

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the fifth colon, which may itself hold colons and slashes. */
  readonly resource: string;
}

/** Splits an ARN into its parts; undefined when `arn` does not have the six parts every ARN has. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] === '' || parts[2] === '') return undefined;
  const [, partition, service, region, account] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/**
 * The names of the resource types (as the Service Authorization Reference names them: `bucket`,
 * `object`, `table`, `key`, `alias`, …) whose ARN format `arn` has. Empty for an ARN of no known type.
 */
export function arnResourceTypes(arn: string): string[] {
  const parsed = parseArn(arn);
  if (parsed === undefined || !serviceExists(parsed.service)) return [];
  return [...serviceResourceTypes(parsed.service).entries()].filter(([, type]) => resourceTemplate(parsed.service, type.arn).overlaps(arn)).map(([name]) => name);
}
