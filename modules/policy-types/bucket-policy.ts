import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Construct } from 'constructs';
import type { PolicyDocument } from '../core/policy-document';
import { type AcknowledgeableFinding, PolicyValidationError, throwIfAny } from '../core/policy-error';
import { rejectReferences } from '../private/references';
import type { PolicyInput } from './document-input';
import { bucketNameFindings, bucketPolicy } from './s3-bucket-policy';

export interface BucketPolicyProps {
  /**
   * Name of the bucket, written out: its policy may name only it and its objects, which is checked at
   * synth, so a reference (resolved at apply time) is refused.
   */
  readonly bucket: string;
  /** The policy: a document or the props that render one. Checked as an S3 bucket policy. */
  readonly document: PolicyInput;
  /**
   * Findings accepted by name.
   * @default - none
   */
  readonly acknowledge?: readonly AcknowledgeableFinding[];
  /**
   * @default 'aws'
   */
  readonly partition?: string;
}

/** An S3 bucket policy (`aws_s3_bucket_policy`), its document checked against its bucket. */
export class BucketPolicy extends Construct {
  readonly document: PolicyDocument;
  readonly json: string;
  readonly bucketPolicy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: BucketPolicyProps) {
    super(scope, id);
    const context = this.node.path;
    rejectReferences(context, { bucket: props.bucket });
    throwIfAny(context, bucketNameFindings('bucket', props.bucket));
    try {
      this.document = bucketPolicy(props.document, props.bucket, {
        context,
        ...(props.acknowledge !== undefined && { acknowledge: props.acknowledge }),
      }, props.partition ?? 'aws');
    } catch (e) {
      if (e instanceof PolicyValidationError) {
        throw new PolicyValidationError(context, e.findings.map((f) => (f.field.startsWith('Statement') || f.field.startsWith('(') ? { ...f, field: `document.${f.field}` } : f)));
      }
      throw e;
    }
    this.json = JSON.stringify(this.document);
    this.bucketPolicy = new S3BucketPolicy(this, 'policy', { bucket: props.bucket, policy: this.json });
  }
}
