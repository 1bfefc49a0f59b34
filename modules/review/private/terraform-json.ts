/**
 * Reading values out of Terraform JSON (`cdk.tf.json`): every string there is a template, in which
 * `${…}` is an interpolation and `%{…}` a directive, and `$${` and `%%{` stand for a literal `${` and
 * `%{` (Terraform language docs, "JSON Configuration Syntax" and "Strings and Templates").
 */

/** A reference to another resource's attribute: `${aws_iam_role.ci.name}`. */
export interface TerraformReference {
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

/** `value` as a reference, when it is exactly one `${<type>.<name>.<attribute>}`. */
export function referenceOf(value: unknown): TerraformReference | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  return match === null ? undefined : { type: match[1], name: match[2], attribute: match[3] };
}

/** The text a template stands for, or undefined when it interpolates or holds a directive. */
export function literalText(value: string): string | undefined {
  let text = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if ((c === '$' || c === '%') && value[i + 1] === c && value[i + 2] === '{') {
      text += `${c}{`;
      i += 2;
    } else if ((c === '$' || c === '%') && value[i + 1] === '{') return undefined;
    else text += c;
  }
  return text;
}
