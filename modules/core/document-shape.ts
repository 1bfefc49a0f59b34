/**
 * The JavaScript shape of a policy document given by hand (parsed JSON, or an object literal): checked
 * before the document is rendered, so that a number where a list of actions goes, or a statement that is
 * a string, is a named finding (`INPUT_TYPE`), not a `TypeError`. What the values mean is `validatePolicy`'s.
 */
import type { Finding } from './policy-error';
import { type Shape, shape, shapeFindings } from './input-shape';

const STRINGS = shape.oneOf('a string or a list of strings', shape.string(), shape.list(shape.string()));
const CONDITION_VALUE = shape.oneOf(
  'a string, number or boolean, or a list of them',
  shape.string(),
  shape.number(),
  shape.boolean(),
  shape.list(shape.oneOf('a string, number or boolean', shape.string(), shape.number(), shape.boolean())),
);
const PRINCIPAL = shape.oneOf('"*" or { <type>: <identifiers> }', shape.literal('*'), shape.record(STRINGS));

export const STATEMENT_SHAPE: Shape = shape.object(
  {
    Sid: shape.optional(shape.string()),
    Effect: shape.any(),
    Action: shape.optional(STRINGS),
    NotAction: shape.optional(STRINGS),
    Resource: shape.optional(STRINGS),
    NotResource: shape.optional(STRINGS),
    Principal: shape.optional(PRINCIPAL),
    NotPrincipal: shape.optional(PRINCIPAL),
    Condition: shape.optional(shape.record(shape.record(CONDITION_VALUE))),
  },
  { example: '{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }' },
);

export const POLICY_DOCUMENT_SHAPE: Shape = shape.object(
  {
    Version: shape.optional(shape.string()),
    Id: shape.optional(shape.string()),
    Statement: shape.oneOf('a statement or a list of statements', STATEMENT_SHAPE, shape.list(STATEMENT_SHAPE)),
  },
  { example: '{ Version: "2012-10-17", Statement: [...] }' },
);

/** Findings for a document given by hand, at `field`. */
export function documentShapeFindings(document: unknown, field: string): Finding[] {
  return shapeFindings(document, POLICY_DOCUMENT_SHAPE, field);
}

const PRINCIPAL_PROPS = shape.list(shape.object({ type: shape.string(), identifiers: shape.list(shape.string()) }));
const OPTIONAL_STRINGS = shape.optional(shape.list(shape.string()));

/** The shape of `PolicyDocumentProps`: the statements as `policyDocument` takes them. */
export const POLICY_DOCUMENT_PROPS_SHAPE: Shape = shape.object(
  {
    id: shape.optional(shape.string()),
    version: shape.optional(shape.string()),
    statements: shape.list(
      shape.object({
        sid: shape.optional(shape.string()),
        effect: shape.optional(shape.literal('Allow', 'Deny')),
        actions: OPTIONAL_STRINGS,
        notActions: OPTIONAL_STRINGS,
        resources: OPTIONAL_STRINGS,
        notResources: OPTIONAL_STRINGS,
        principals: shape.optional(PRINCIPAL_PROPS),
        notPrincipals: shape.optional(PRINCIPAL_PROPS),
        conditions: shape.optional(shape.list(shape.object({ test: shape.string(), variable: shape.string(), values: shape.list(shape.string()) }))),
      }),
    ),
  },
  { example: "{ statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }] }" },
);

/** Findings for a policy given either as a document or as the props that render one (`{ statements }`). */
export function policyInputShapeFindings(input: unknown, field: string): Finding[] {
  const props = typeof input === 'object' && input !== null && !Array.isArray(input) && 'statements' in input;
  return shapeFindings(input, props ? POLICY_DOCUMENT_PROPS_SHAPE : POLICY_DOCUMENT_SHAPE, field);
}
