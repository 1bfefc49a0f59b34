/**
 * Buildkite as a typed trust: one organization's pipelines and, if given, their branches. Pure: no cdktf.
 * Facts: `BUILDKITE` in core/oidc-issuers.ts.
 *
 * For `{ organization: 'my-org', pipelines: ['deploy'], branches: ['main'] }` it writes
 * `StringEquals agent.buildkite.com:aud = sts.amazonaws.com` and `StringLike agent.buildkite.com:sub =
 * organization:my-org:pipeline:deploy:ref:refs/heads/main:*` (the subject goes on with the commit and the
 * step). Buildkite's AWS guide warns that a branch condition "doesn't necessarily guarantee that the entire
 * build will be run from the branch": a later step may check out another one.
 */
import { BUILDKITE } from '../../core/oidc-issuers';
import type { StatementProps } from '../../core/policy-document';
import type { Finding } from '../../core/policy-error';
import { shape } from '../../core/input-shape';
import {
  audienceFindings,
  namesFindings,
  notAllWildcards,
  type OidcProviderSpec,
  type PresetContext,
  providerArnFor,
  subjectCondition,
  webIdentityStatement,
  type WebIdentityTrustOptions,
} from './web-identity';

export interface BuildkiteTrust extends WebIdentityTrustOptions {
  /** The organization's slug, e.g. `my-org`. */
  readonly organization: string;
  /** The slugs of the pipelines whose jobs may assume the role. At least one. */
  readonly pipelines: readonly string[];
  /**
   * Only builds of these branches (`ref:refs/heads/<branch>`). `?` is a wildcard anywhere, `*` only at the
   * end (`release/*`): Buildkite's subject goes on after the branch with the commit and the step key.
   * @default - any branch or tag
   */
  readonly branches?: readonly string[];
}

export const BUILDKITE_TRUST_SHAPE = shape.object(
  {
    organization: shape.string(),
    pipelines: shape.list(shape.string()),
    branches: shape.optional(shape.list(shape.string())),
    providerArn: shape.optional(shape.string()),
    audience: shape.optional(shape.string()),
  },
  { strict: true, example: "{ organization: 'my-org', pipelines: ['deploy'] }" },
);

// Buildkite slugs: lower-case letters, digits and hyphens.
const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const REF = /^(?!.*\$\{)[^\s~^:\\[\u0000-\u001f\u007f]+$/;

/** The OIDC provider Buildkite tokens come through, for `OidcProvider`. */
export function buildkiteOidcProvider(options: { readonly audience?: string } = {}): OidcProviderSpec {
  return { url: BUILDKITE.defaultIssuer, clientIds: [options.audience ?? BUILDKITE.defaultAudience!] };
}

/** The statement for `trust`, and every finding for it. */
export function buildkiteStatement(trust: BuildkiteTrust, context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  const { field } = context;
  const at = (name: string) => `${field}.${name}`;
  const findings: Finding[] = [];
  if (!SLUG.test(trust.organization))
    findings.push({
      field: at('organization'),
      value: trust.organization,
      problem: 'not an organization slug (lower-case letters, digits and hyphens, no wildcard)',
      fix: 'write the slug from the organization\'s URL, e.g. "my-org"',
    });
  if (trust.pipelines.length === 0)
    findings.push({ field: at('pipelines'), value: [], problem: 'no pipeline: every pipeline of the organization would get in', fix: 'list the pipelines whose jobs may assume the role' });
  findings.push(
    ...namesFindings(at('pipelines'), trust.pipelines, SLUG, 'not a pipeline slug (lower-case letters, digits and hyphens, no wildcard)', 'write the slug from the pipeline\'s URL, e.g. "deploy"'),
  );
  findings.push(...namesFindings(at('branches'), trust.branches, REF, 'not a branch name (no white space, ~, ^, :, \\, [ or policy variable)', 'write the branch as git names it, e.g. "main"'));
  findings.push(...notAllWildcards(at('branches'), trust.branches, 'branch', 'branches'));
  // The subject goes on after the branch with `:commit:<sha>:step:<key>`, and a step key may hold `:`
  // (Buildkite's pipeline schema: ^[a-zA-Z0-9_\-:${}.,]+$): a `*` before the end of a branch pattern can run
  // past the branch into the step key, which the pipeline's author chooses. Only a trailing `*` is safe.
  (trust.branches ?? []).forEach((b, i) => {
    if (typeof b === 'string' && b.slice(0, -1).includes('*')) {
      findings.push({
        field: at(`branches[${i}]`),
        value: b,
        problem: "a '*' before the end of the pattern can match past the branch into the subject's step key, which the pipeline's author chooses",
        fix: "end the pattern with the '*' (\"release/*\"), or list the branches in full; '?' stands for one character anywhere",
      });
    }
  });
  const audience = trust.audience ?? BUILDKITE.defaultAudience!;
  findings.push(...audienceFindings(at('audience'), audience));
  const subjects = trust.pipelines.flatMap((p) => {
    const base = `organization:${trust.organization}:pipeline:${p}`;
    return trust.branches === undefined || trust.branches.length === 0 ? [`${base}:*`] : trust.branches.map((b) => `${base}:ref:refs/heads/${b}:*`);
  });
  const provider = BUILDKITE.defaultIssuer.replace('https://', '');
  const providerArn = providerArnFor(trust, provider, context, findings);
  const statement = webIdentityStatement(providerArn, [{ test: 'StringEquals', variable: `${provider}:aud`, values: [audience] }, subjectCondition(`${provider}:sub`, subjects)]);
  return { statement, findings };
}
