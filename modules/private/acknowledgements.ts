import type { TerraformResource } from 'cdktf';
import { type AcknowledgedFinding, sortedAcknowledged } from '../core/acknowledgements';

/** Where in a resource's Terraform JSON comment (`"//"`, which Terraform ignores) the accepted findings are written. */
export const ACKNOWLEDGED_KEY = 'acknowledged';

/**
 * Writes the findings the caller accepted for a resource's policy, with their reasons, into the resource's
 * `"//"` comment, which Terraform ignores: the access report reads them there and shows each reason next to
 * what it lets in. Sorted, so the same input writes the same bytes.
 */
export function recordAcknowledged(resource: TerraformResource, acknowledged: readonly AcknowledgedFinding[]): void {
  if (acknowledged.length === 0) return;
  resource.addOverride(
    `//.${ACKNOWLEDGED_KEY}`,
    sortedAcknowledged(acknowledged).map((a) => ({ rule: a.rule, field: a.field, ...(a.reason !== undefined && { reason: a.reason }) })),
  );
}
