import type { TerraformResource } from 'cdktf';
import { ADMISSION_COMMENT_KEY, type AcknowledgedFinding, sortedAcknowledged } from '../core/acknowledgements';

/** What a construct checked a trust or resource policy's admission against, as recorded next to the resource. */
export interface AdmissionRecord {
  /** The account the role or resource is in, when the construct was given it. */
  readonly account?: string;
  /** The findings the caller accepted, with their reasons. */
  readonly acknowledged: readonly AcknowledgedFinding[];
}

/**
 * Writes into the resource's `"//"` comment, which Terraform ignores, what its policy's admission check was
 * given: the account, and the findings the caller accepted with their reasons. The access report reads it
 * there, shows each reason next to what it lets in, and flags a finding nobody accepted. Sorted, so the
 * same input writes the same bytes.
 */
export function recordAdmission(resource: TerraformResource, record: AdmissionRecord): void {
  if (record.account === undefined && record.acknowledged.length === 0) return;
  resource.addOverride(`//.${ADMISSION_COMMENT_KEY}`, {
    ...(record.account !== undefined && { account: record.account }),
    acknowledged: sortedAcknowledged(record.acknowledged).map((a) => ({ rule: a.rule, field: a.field, ...(a.reason !== undefined && { reason: a.reason }) })),
  });
}
