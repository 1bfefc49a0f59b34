import { serviceResourceTypes } from './iam-data';
import { arnTemplate, type ArnTemplate } from './patterns';

const compiled = new Map<string, ArnTemplate>();

/**
 * The compiled ARN template of one of `service`'s resource types, compiled once a process. Its last
 * variable may hold `/` unless another resource type of the service extends the ARN with `/…` (S3's
 * object extends its bucket, DynamoDB's stream its table, S3's access point object its access point):
 * there the `/` starts the other type, so a bucket or table name cannot hold it.
 */
export function resourceTemplate(service: string, arn: string): ArnTemplate {
  const id = `${service} ${arn}`;
  let template = compiled.get(id);
  if (template === undefined) {
    const extended = [...serviceResourceTypes(service).values()].some((other) => other.arn !== arn && other.arn.startsWith(`${arn}/`));
    template = arnTemplate(arn, !extended);
    compiled.set(id, template);
  }
  return template;
}
