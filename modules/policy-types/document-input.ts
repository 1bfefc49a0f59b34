import { canonicalPolicy, type PolicyDocument, policyDocument, type PolicyDocumentProps } from '../core/policy-document';

/** A policy given as a document (parsed JSON, any key order) or as the props that render one. */
export type PolicyInput = PolicyDocument | PolicyDocumentProps;

/** The canonical document for `input`: props are rendered, documents re-rendered in canonical form. */
export function canonicalInput(input: PolicyInput): PolicyDocument {
  return 'statements' in input ? policyDocument(input) : canonicalPolicy(input);
}
