import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AcknowledgedFinding } from '../core/acknowledgements';
import { shape, shapeFindings } from '../core/input-shape';
import type { PolicyDocument } from '../core/policy-document';
import { type Acknowledgement, PolicyValidationError, throwIfAny } from '../core/policy-error';
import { recordAdmission } from '../private/acknowledgements';
import { checkIamNameCollisions } from '../private/name-collisions';
import { dependOnNamedPrincipals } from '../private/principal-dependencies';
import { rejectReferences } from '../private/references';
import type { PolicyInput } from './document-input';
import { bucketNameFindings, checkBucketPolicy } from './s3-bucket-policy';

export interface BucketPolicyProps {
  /**
   * Name of the bucket, written out: its policy may name only it and its objects, which is checked at
   * synth, so a reference (resolved at apply time) is refused.
   */
  readonly bucket: string;
  /** The policy: a document, the props that render one, or the document's JSON text. Checked as an S3 bucket policy. */
  readonly document: PolicyInput;
  /**
   * Findings accepted: by rule id, or, for who gets in (`ANY_PRINCIPAL`, `CROSS_ACCOUNT`), with a reason,
   * which is written next to the resource for the access report.
   * @default - none
   */
  readonly acknowledge?: readonly Acknowledgement[];
  /**
   * The 12-digit ID of the account the bucket is in: principals of other accounts are `CROSS_ACCOUNT` findings.
   * @default - not known: every principal named by account is a `CROSS_ACCOUNT` finding
   */
  readonly account?: string;
  /**
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Resources the bucket policy is written after, besides those it finds itself. S3 refuses a principal that
   * does not exist yet (`MalformedPolicy: Invalid principal in policy`), and the policy's ARNs are written out
   * (checked at synth), so Terraform sees no reference in them: the roles and users of the same stack the policy
   * names by ARN (`aws_iam_role`, `aws_iam_user` with their name written out, in the account their provider is
   * pinned to, if it is) are added to its `depends_on` at synth, with no need to list them here.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Every field `BucketPolicy` takes and its JavaScript type: any other is refused. */
const BUCKET_POLICY_PROPS_SHAPE = shape.object(
  {
    bucket: shape.string(),
    // Checked by checkBucketPolicy (policyInputFindings): a document, its props, or its JSON text.
    document: shape.oneOf('a policy document, the props that render one, or its JSON text', shape.record(shape.any()), shape.string()),
    acknowledge: shape.optional(shape.list(shape.any())),
    account: shape.optional(shape.string()),
    partition: shape.optional(shape.string()),
    // Resources Terraform can order by: anything with an `fqn`, as cdktf's ITerraformDependable.
    dependsOn: shape.optional(shape.list(shape.object({ fqn: shape.string() }, { example: "role.role (a Role's resource)" }))),
  },
  { strict: true, example: "{ bucket: 'data-lake-bucket', account: '111111111111', document: { Version: '2012-10-17', Statement: [...] } }" },
);

/** An S3 bucket policy (`aws_s3_bucket_policy`), its document checked against its bucket. */
export class BucketPolicy extends Construct {
  readonly document: PolicyDocument;
  readonly json: string;
  readonly bucketPolicy: S3BucketPolicy;
  /** The findings accepted in `acknowledge`, as written next to the resource. */
  readonly acknowledged: readonly AcknowledgedFinding[];

  constructor(scope: Construct, id: string, props: BucketPolicyProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, BUCKET_POLICY_PROPS_SHAPE, ''));
    rejectReferences(context, { bucket: props.bucket });
    throwIfAny(context, bucketNameFindings('bucket', props.bucket));
    const checked = withDocumentFields(context, () =>
      checkBucketPolicy(
        props.document,
        props.bucket,
        {
          context,
          ...(props.acknowledge !== undefined && { acknowledge: props.acknowledge }),
          ...(props.account !== undefined && { account: props.account }),
        },
        props.partition ?? 'aws',
      ),
    );
    withDocumentFields(context, () => throwIfAny(context, checked.findings));
    this.document = checked.document;
    this.acknowledged = checked.acknowledged;
    this.json = JSON.stringify(this.document);
    this.bucketPolicy = new S3BucketPolicy(this, 'policy', {
      bucket: props.bucket,
      policy: this.json,
      ...(props.dependsOn !== undefined && { dependsOn: [...props.dependsOn] }),
    });
    dependOnNamedPrincipals(this.bucketPolicy, this.json);
    recordAdmission(this.bucketPolicy, { ...(props.account !== undefined && { account: props.account }), acknowledged: checked.acknowledged });
    checkIamNameCollisions(this);
  }
}

/** `fn`'s result; a `PolicyValidationError` it throws is thrown again with the document's fields under `document.`. */
function withDocumentFields<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PolicyValidationError) {
      throw new PolicyValidationError(
        context,
        e.findings.map((f) => (f.field.startsWith('Statement') || f.field.startsWith('(') ? { ...f, field: `document.${f.field}` } : f)),
      );
    }
    throw e;
  }
}
