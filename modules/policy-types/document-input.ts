import { policyInputShapeFindings } from '../core/document-shape';
import { canonicalPolicy, type PolicyDocument, policyDocument, type PolicyDocumentProps } from '../core/policy-document';
import type { Finding } from '../core/policy-error';

/**
 * A policy given as a document (parsed JSON, any key order), as the props that render one
 * (`{ statements }`), or as the document's JSON text (read from a file, say), as `Role`'s `trustPolicy`
 * takes it.
 */
export type PolicyInput = PolicyDocument | PolicyDocumentProps | string;

/** `input` with JSON text parsed; the text's parse error when it is not JSON. */
function parsed(input: unknown): { value: unknown; error?: string } {
  if (typeof input !== 'string') return { value: input };
  try {
    return { value: JSON.parse(input) };
  } catch (e) {
    return { value: input, error: (e as Error).message };
  }
}

/**
 * Findings for a policy input at `field` before it is rendered: text that is not JSON, and a document or
 * props of the wrong JavaScript shape (`INPUT_TYPE`), so that neither reaches `canonicalInput` to fail there
 * with a `TypeError`.
 */
export function policyInputFindings(input: unknown, field: string): Finding[] {
  const { value, error } = parsed(input);
  if (error !== undefined) {
    const text = input as string;
    return [
      {
        field,
        value: text.length > 80 ? `${text.slice(0, 80)}…` : text,
        problem: `is text that is not JSON (${error})`,
        fix: "give the policy document ({ Version: '2012-10-17', Statement: [...] }), the props that render one ({ statements: [...] }), or the document's JSON text",
        code: 'INPUT_TYPE',
      },
    ];
  }
  return policyInputShapeFindings(value, field);
}

/** The canonical document for `input`: props are rendered, documents (and JSON text) re-rendered in canonical form. Check it with `policyInputFindings` first. */
export function canonicalInput(input: PolicyInput): PolicyDocument {
  const value = parsed(input).value as PolicyDocument | PolicyDocumentProps;
  return 'statements' in value ? policyDocument(value) : canonicalPolicy(value);
}
