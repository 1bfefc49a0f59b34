import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import type { NamedPolicy } from '../core/fit-policy';

/** Where the overflow of a principal's inline policies goes. */
export interface OverflowPoliciesProps<A extends Construct> {
  /** The principal, as its errors and the policies' descriptions name it, e.g. `role ci-web`. */
  readonly principal: string;
  /** What its inline policies are over, e.g. `the role inline size limit`. */
  readonly limit: string;
  /** IAM path of the policies: the principal's. @default - "/" */
  readonly path?: string;
  /** Attaches the policy `policyArn` to the principal, under `scope`. */
  readonly attach: (scope: Construct, policyArn: string) => A;
}

/**
 * The customer managed policies `fitPrincipalPolicies` moved a principal's overflow to, each with its
 * attachment to the principal, under `overflow_<name>` of `scope`. Returns the policies and the
 * attachments, in the order given.
 */
export function overflowPolicies<A extends Construct>(scope: Construct, overflow: readonly NamedPolicy[], props: OverflowPoliciesProps<A>): { policies: IamPolicy[]; attachments: A[] } {
  const attachments: A[] = [];
  const policies = overflow.map((p) => {
    const inner = new Construct(scope, `overflow_${p.name}`);
    const policy = new IamPolicy(inner, 'policy', {
      name: p.name,
      ...(props.path !== undefined && { path: props.path }),
      description: `Statements of ${props.principal}'s inline policies over ${props.limit}`,
      policy: JSON.stringify(p.document),
    });
    attachments.push(props.attach(inner, policy.arn));
    return policy;
  });
  return { policies, attachments };
}
