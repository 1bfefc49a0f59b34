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
