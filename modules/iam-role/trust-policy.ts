/**
 * A typed trust policy (who may assume a role), as a pure function: principals in, canonical policy
 * document out. No cdktf.
 *
 * Facts used here, and where they come from:
 * - A service principal is written `<service-name>.amazonaws.com` (IAM user guide, "AWS JSON policy
 *   elements: Principal", section "AWS service principals": "The identifier for a service principal
 *   includes the service name, and is usually in the following format: service-name.amazonaws.com").
 *   iam-data does not list service principals, so only that shape is checked. Principals of other
 *   partitions written otherwise are not built here: pass the document itself to `Role`.
 * - An account principal is its 12-digit ID, written `arn:<partition>:iam::<id>:root` (same page,
 *   "AWS account principals").
 * - A web identity (OIDC) principal is `Federated: <oidc provider ARN>` with the action
 *   `sts:AssumeRoleWithWebIdentity`, and conditions on `<provider>:aud` and `<provider>:sub`, where
 *   `<provider>` is the provider URL without `https://` (IAM user guide, "Create a role for OpenID Connect
 *   federation" and "Configuring a role for GitHub OIDC identity provider": `StringEquals
 *   token.actions.githubusercontent.com:aud = sts.amazonaws.com`, `StringLike
 *   token.actions.githubusercontent.com:sub = repo:<org>/<repo>:*`). GitHub's and IAM's documentation
 *   ask for a `sub` condition so that other repositories cannot assume the role.
 */
import { acceptedIn, acknowledgementFindings, type AcknowledgedFinding } from '../core/acknowledgements';
import { shape, shapeFindings, type Shape } from '../core/input-shape';
import { type ConditionProps, type PolicyDocument, policyDocument, type PrincipalMap, type StatementProps, listOf } from '../core/policy-document';
import { ACCOUNT_ID, partitionFindings, ROLE_ARN } from '../core/iam-identifiers';
import { type Acknowledgement, type Finding, throwIfAny } from '../core/policy-error';
import { checkPolicy } from '../core/validate-policy';
import { BITBUCKET_PIPELINES_TRUST_SHAPE, type BitbucketPipelinesTrust, bitbucketPipelinesStatement } from './ci-identity/bitbucket-pipelines';
import { BUILDKITE_TRUST_SHAPE, type BuildkiteTrust, buildkiteStatement } from './ci-identity/buildkite';
import { CIRCLECI_TRUST_SHAPE, type CircleCiTrust, circleCiStatement } from './ci-identity/circleci';
import { GITHUB_ACTIONS_TRUST_SHAPE, type GitHubActionsTrust, githubActionsStatement } from './ci-identity/github-actions';
import { GITLAB_TRUST_SHAPE, type GitLabTrust, gitlabStatement } from './ci-identity/gitlab';
import { TERRAFORM_CLOUD_TRUST_SHAPE, type TerraformCloudTrust, terraformCloudStatement } from './ci-identity/terraform-cloud';
import { parseOidcProviderArn, type PresetContext } from './ci-identity/web-identity';

/** One OIDC identity provider whose tokens may assume the role. */
export interface OidcTrust {
  /** ARN of the IAM OIDC provider, e.g. `arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com`. */
  readonly providerArn: string;
  /** The audience the tokens carry (`aud`), e.g. `sts.amazonaws.com` for GitHub's official action. */
  readonly audience: string;
  /**
   * The subjects (`sub`) that may assume the role, compared with `StringLike`: `*` and `?` are
   * wildcards, e.g. `repo:my-org/my-repo:ref:refs/heads/main`. At least one; `*` alone is refused.
   */
  readonly subjects: readonly string[];
}

/** Who may assume the role. At least one principal of some kind is required. */
export interface TrustPolicyProps {
  /**
   * AWS service principals, e.g. `ec2.amazonaws.com`.
   * @default [] - no service
   */
  readonly services?: readonly string[];
  /**
   * Account the services act for: adds `StringEquals aws:SourceAccount` to the services' statement
   * (confused-deputy protection, IAM user guide "The confused deputy problem"). Needed for every service
   * but those in `SERVICES_WITHOUT_SOURCE_KEYS`, unless `SERVICE_PRINCIPAL_UNSCOPED` is acknowledged.
   * @default - no condition
   */
  readonly serviceSourceAccount?: string;
  /**
   * 12-digit account IDs whose principals may assume the role (as far as their own policies let them).
   * @default [] - no account
   */
  readonly accounts?: readonly string[];
  /**
   * ARNs of roles that may assume the role, e.g. `arn:aws:iam::123456123456:role/deployer`.
   * @default [] - no role
   */
  readonly roles?: readonly string[];
  /**
   * OIDC identity providers, one statement each.
   * @default [] - no web identity
   */
  readonly oidc?: readonly OidcTrust[];
  /**
   * GitHub Actions workflows of one repository each: its branches, tags, environments and pull requests
   * as separate opt-ins (see `GitHubActionsTrust`). One statement each.
   * @default [] - none
   */
  readonly githubActions?: readonly GitHubActionsTrust[];
  /**
   * GitLab CI/CD pipelines of one project each (see `GitLabTrust`).
   * @default [] - none
   */
  readonly gitlab?: readonly GitLabTrust[];
  /**
   * CircleCI projects of one organization each (see `CircleCiTrust`).
   * @default [] - none
   */
  readonly circleci?: readonly CircleCiTrust[];
  /**
   * Bitbucket Pipelines of one repository each (see `BitbucketPipelinesTrust`).
   * @default [] - none
   */
  readonly bitbucketPipelines?: readonly BitbucketPipelinesTrust[];
  /**
   * Buildkite pipelines of one organization each (see `BuildkiteTrust`).
   * @default [] - none
   */
  readonly buildkite?: readonly BuildkiteTrust[];
  /**
   * HCP Terraform (Terraform Cloud) or Terraform Enterprise workspaces and run phases (see `TerraformCloudTrust`).
   * @default [] - none
   */
  readonly terraformCloud?: readonly TerraformCloudTrust[];
  /**
   * The 12-digit ID of the account the role is in: principals of other accounts are `CROSS_ACCOUNT`
   * findings, and the presets' OIDC provider ARNs are built in it.
   * @default - not known: every account principal is a `CROSS_ACCOUNT` finding, and presets need `providerArn`
   */
  readonly account?: string;
  /**
   * Partition of the account principals built from `accounts`, and of the presets' provider ARNs.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Findings accepted: by rule id (`SERVICE_PRINCIPAL_UNSCOPED` for a service that cannot send
   * `aws:SourceAccount`), or, for the who-gets-in rules, with a reason:
   * `{ rule: 'CROSS_ACCOUNT', reason: 'the tooling account deploys here' }`.
   * @default - none
   */
  readonly acknowledge?: readonly Acknowledgement[];
}

const OIDC_TRUST_SHAPE = shape.object(
  { providerArn: shape.string(), audience: shape.string(), subjects: shape.list(shape.string()) },
  {
    strict: true,
    example: "{ providerArn: 'arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subjects: ['repo:my-org/my-repo:ref:refs/heads/main'] }",
  },
);
const ACKNOWLEDGE_SHAPE = shape.list(shape.any());

/** The JavaScript types of `TrustPolicyProps`, checked before anything reads them. */
export const TRUST_POLICY_PROPS_SHAPE: Shape = shape.object(
  {
    services: shape.optional(shape.list(shape.string())),
    serviceSourceAccount: shape.optional(shape.string()),
    accounts: shape.optional(shape.list(shape.string())),
    roles: shape.optional(shape.list(shape.string())),
    oidc: shape.optional(shape.list(OIDC_TRUST_SHAPE)),
    githubActions: shape.optional(shape.list(GITHUB_ACTIONS_TRUST_SHAPE)),
    gitlab: shape.optional(shape.list(GITLAB_TRUST_SHAPE)),
    circleci: shape.optional(shape.list(CIRCLECI_TRUST_SHAPE)),
    bitbucketPipelines: shape.optional(shape.list(BITBUCKET_PIPELINES_TRUST_SHAPE)),
    buildkite: shape.optional(shape.list(BUILDKITE_TRUST_SHAPE)),
    terraformCloud: shape.optional(shape.list(TERRAFORM_CLOUD_TRUST_SHAPE)),
    account: shape.optional(shape.string()),
    partition: shape.optional(shape.string()),
    acknowledge: shape.optional(ACKNOWLEDGE_SHAPE),
  },
  { strict: true, example: "{ services: ['ec2.amazonaws.com'] }" },
);

/** Each CI preset's props field and the type of its entries. */
interface PresetTrusts {
  readonly githubActions: GitHubActionsTrust;
  readonly gitlab: GitLabTrust;
  readonly circleci: CircleCiTrust;
  readonly bitbucketPipelines: BitbucketPipelinesTrust;
  readonly buildkite: BuildkiteTrust;
  readonly terraformCloud: TerraformCloudTrust;
}

/** How one entry of each preset becomes a statement, in the order the statements are written. */
const PRESETS: { readonly [F in keyof PresetTrusts]: (trust: PresetTrusts[F], context: PresetContext) => { statement: StatementProps; findings: Finding[] } } = {
  githubActions: githubActionsStatement,
  gitlab: gitlabStatement,
  circleci: circleCiStatement,
  bitbucketPipelines: bitbucketPipelinesStatement,
  buildkite: buildkiteStatement,
  terraformCloud: terraformCloudStatement,
};
const PRESET_FIELDS = Object.keys(PRESETS) as (keyof PresetTrusts)[];

/** The statement of entry `trust` of preset `field`. */
function presetStatement<F extends keyof PresetTrusts>(field: F, trust: PresetTrusts[F], context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  return PRESETS[field](trust, context);
}

/**
 * Service principals whose role assumption carries no `aws:SourceAccount` or `aws:SourceArn`, so the core's
 * `SERVICE_PRINCIPAL_UNSCOPED` finding is accepted for them by name.
 *
 * - `ec2.amazonaws.com`: EC2 assumes an instance profile's role for the instance, not for a resource of
 *   another account. AWS's own trust policy for EC2 has no condition (IAM user guide, "Grant a user
 *   permissions to pass a role to an AWS service", example 1; EC2 user guide, "IAM roles for Amazon EC2"),
 *   and no AWS page documents `aws:SourceAccount` for EC2's role assumption (the global key is in the
 *   request context only when a service principal calls a resource for its owner: IAM user guide, "AWS
 *   global condition context keys"). What stops a confused deputy here is `iam:PassRole`: a role can be
 *   passed to EC2 only by a principal of the role's own account allowed to pass it (AWS re:Post knowledge
 *   center, "iam-passrole-error": PassRole passes a role only to a service in the same account).
 */
export const SERVICES_WITHOUT_SOURCE_KEYS: ReadonlySet<string> = new Set(['ec2.amazonaws.com']);

// See the file comment for the sources of these shapes.
const SERVICE_PRINCIPAL = /^[a-z0-9]+(?:[.-][a-z0-9]+)*\.amazonaws\.com$/;

/** The trust policy for `props`, checked as a trust policy. Throws a `PolicyValidationError` naming `context`. */
export function trustPolicy(props: TrustPolicyProps, context = 'trustPolicy'): PolicyDocument {
  const { document, findings } = buildTrustPolicy(props);
  throwIfAny(context, findings);
  return document;
}

/** A trust policy built from principals: the document, what is wrong, and what the caller accepted. */
export interface BuiltTrustPolicy {
  readonly document: PolicyDocument;
  /** Every finding in force, input findings first; a document finding names the input field it comes from. */
  readonly findings: Finding[];
  /** The findings `acknowledge` accepts, by document field (`Statement[2].Principal.AWS[0]`), as the access report reads them. */
  readonly acknowledged: AcknowledgedFinding[];
}

/** The trust policy for `props` and every finding for it (input findings first), without throwing. */
export function buildTrustPolicy(props: TrustPolicyProps, fieldPrefix = '', extraAcknowledge: readonly Acknowledgement[] = [], caller: TrustPolicyCaller = {}): BuiltTrustPolicy {
  const at = (field: string) => `${fieldPrefix}${field}`;
  const typeFindings = shapeFindings(props, TRUST_POLICY_PROPS_SHAPE, fieldPrefix.replace(/\.$/, ''));
  if (typeFindings.length > 0) return { document: policyDocument({ statements: [] }), findings: typeFindings, acknowledged: [] };
  const findings: Finding[] = [...acknowledgementFindings(at('acknowledge'), props.acknowledge)];
  const partition = props.partition ?? 'aws';
  findings.push(...partitionFindings(at('partition'), partition));
  if (props.account !== undefined && !ACCOUNT_ID.test(props.account)) {
    findings.push({ field: at('account'), value: props.account, problem: 'an account ID is 12 digits', fix: 'write the ID of the account the role is in, e.g. "123456123456"' });
  }
  const services = props.services ?? [];
  const accounts = props.accounts ?? [];
  const roles = props.roles ?? [];
  const oidc = props.oidc ?? [];
  services.forEach((service, i) => findings.push(...servicePrincipalFindings(at(`services[${i}]`), service)));
  accounts.forEach((account, i) => {
    if (!ACCOUNT_ID.test(account)) {
      findings.push({ field: at(`accounts[${i}]`), value: account, problem: 'an account ID is 12 digits', fix: 'write the account ID, e.g. "123456123456"' });
    }
  });
  roles.forEach((role, i) => {
    if (!ROLE_ARN.test(role)) {
      findings.push({
        field: at(`roles[${i}]`),
        value: role,
        problem: 'not an IAM role ARN',
        fix: 'write it like "arn:aws:iam::123456123456:role/deployer"; for a whole account use accounts',
      });
    }
  });
  if (props.serviceSourceAccount !== undefined && !ACCOUNT_ID.test(props.serviceSourceAccount)) {
    findings.push({ field: at('serviceSourceAccount'), value: props.serviceSourceAccount, problem: 'an account ID is 12 digits', fix: 'write the account ID, e.g. "123456123456"' });
  }
  if (props.serviceSourceAccount !== undefined && services.length === 0) {
    findings.push({ field: at('serviceSourceAccount'), value: props.serviceSourceAccount, problem: 'applies to services, and there are none', fix: 'add services, or remove serviceSourceAccount' });
  }
  oidc.forEach((o, i) => findings.push(...oidcFindings(at(`oidc[${i}]`), o)));

  // Each statement with the input field it comes from, so that a finding of the document names it.
  const statements: { statement: StatementProps; origin: string }[] = [];
  if (services.length > 0) {
    statements.push({
      origin: at('services'),
      statement: {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: services }],
        ...(props.serviceSourceAccount !== undefined && {
          conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.serviceSourceAccount] }],
        }),
      },
    });
  }
  if (accounts.length + roles.length > 0) {
    statements.push({
      origin: at(accounts.length > 0 ? (roles.length > 0 ? 'accounts, roles' : 'accounts') : 'roles'),
      statement: { actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: [...accounts.map((id) => `arn:${partition}:iam::${id}:root`), ...roles] }] },
    });
  }
  oidc.forEach((o, i) => {
    const provider = oidcProvider(o.providerArn) ?? o.providerArn;
    const conditions: ConditionProps[] = [
      { test: 'StringEquals', variable: `${provider}:aud`, values: [o.audience] },
      { test: 'StringLike', variable: `${provider}:sub`, values: o.subjects },
    ];
    statements.push({ origin: at(`oidc[${i}]`), statement: { actions: ['sts:AssumeRoleWithWebIdentity'], principals: [{ type: 'Federated', identifiers: [o.providerArn] }], conditions } });
  });
  // On a construct the natural fix for a missing account is the construct's own `account` prop.
  const accountFix = caller.construct === undefined ? undefined : `set account on the ${caller.construct}: the 12-digit ID of the account the role and its OIDC provider are in; or give providerArn`;
  const presetContext = (field: string): PresetContext => ({
    field: at(field),
    partition,
    ...(props.account !== undefined && ACCOUNT_ID.test(props.account) && { account: props.account }),
    ...(accountFix !== undefined && { accountFix }),
  });
  for (const field of PRESET_FIELDS) {
    (props[field] ?? []).forEach((trust, i) => {
      const built = presetStatement(field, trust, presetContext(`${field}[${i}]`));
      findings.push(...built.findings);
      statements.push({ origin: at(`${field}[${i}]`), statement: built.statement });
    });
  }
  if (statements.length === 0) {
    findings.push({
      field: at('(principals)'),
      value: [],
      problem: 'a trust policy needs at least one principal, or no one can assume the role',
      fix: `give services, accounts, roles, oidc or a CI preset (${PRESET_FIELDS.join(', ')})`,
    });
  }
  const document = policyDocument({ statements: statements.map((s) => s.statement) });
  // Document findings only once the input is sound: they would repeat the input's problems less clearly.
  if (findings.length > 0) return { document, findings, acknowledged: [] };
  const checked = checkTrustPolicy(document, {
    acknowledge: [...(props.acknowledge ?? []), ...extraAcknowledge],
    ...(props.account !== undefined && { account: props.account }),
  });
  const named = acceptedIn(
    checked.findings.map((f) => {
      const index = /^Statement\[(\d+)\]/.exec(f.field);
      const origin = index === null ? undefined : statements[Number(index[1])]?.origin;
      return { ...f, field: origin === undefined ? at(f.field) : `${origin} (${f.field})` };
    }),
    { acknowledge: caller.acknowledgeField ?? at('acknowledge'), account: caller.construct === undefined ? at('account') : 'account', resource: 'the role', accountGiven: props.account !== undefined },
  );
  return { document, findings: named, acknowledged: checked.acknowledged };
}

/** Who builds the trust policy, so that fixes name the caller's own props. */
export interface TrustPolicyCaller {
  /** The construct whose props hold the principals (`Role`, `StateAccessRole`): its `account` is the fix for a missing account. */
  readonly construct?: string;
  /** The field the caller accepts findings in (`trustPolicyAcknowledge` on a role). @default - the principals' `acknowledge` */
  readonly acknowledgeField?: string;
}

/** What a trust policy document is checked with, besides its content. */
export interface TrustPolicyCheck {
  /** Findings accepted, by rule id or with a reason. */
  readonly acknowledge?: readonly Acknowledgement[];
  /** The account the role is in (see `TrustPolicyProps.account`). */
  readonly account?: string;
}

/**
 * A trust policy document checked: the core's checks for kind `trust` (who it admits among them) and the
 * shape of each service principal, less `SERVICE_PRINCIPAL_UNSCOPED` for a statement whose services are
 * all in `SERVICES_WITHOUT_SOURCE_KEYS` (see there). Split into findings in force and those accepted.
 */
export function checkTrustPolicy(document: PolicyDocument, check: TrustPolicyCheck = {}): { findings: Finding[]; acknowledged: AcknowledgedFinding[] } {
  const checked = checkPolicy(document, {
    kind: 'trust',
    ...(check.acknowledge !== undefined && { acknowledge: check.acknowledge }),
    ...(check.account !== undefined && { account: check.account }),
  });
  const findings = checked.findings.filter((f) => !acceptedFinding(document, f));
  (document.Statement ?? []).forEach((statement, i) => {
    const principal: PrincipalMap | undefined = statement?.Principal;
    if (principal === undefined || principal === null || principal === '*' || typeof principal !== 'object' || principal.Service === undefined) return;
    listOf(principal.Service).forEach((service, j) => findings.push(...servicePrincipalFindings(`Statement[${i}].Principal.Service[${j}]`, service)));
  });
  return { findings, acknowledged: checked.acknowledged };
}

/** Every finding in force for a trust policy document (see `checkTrustPolicy`). */
export function trustPolicyFindings(document: PolicyDocument, acknowledge: readonly Acknowledgement[], account?: string): Finding[] {
  return checkTrustPolicy(document, { acknowledge, ...(account !== undefined && { account }) }).findings;
}

function acceptedFinding(document: PolicyDocument, finding: Finding): boolean {
  const index = /^Statement\[(\d+)\]/.exec(finding.field);
  if (index === null) return false;
  const statement = document.Statement[Number(index[1])];
  const principal = statement?.Principal;
  if (principal === undefined || principal === '*' || typeof principal !== 'object' || principal === null) return false;
  return finding.code === 'SERVICE_PRINCIPAL_UNSCOPED' && principal.Service !== undefined && listOf(principal.Service).every((s) => SERVICES_WITHOUT_SOURCE_KEYS.has(s));
}

/** The provider part of an OIDC provider ARN (`token.actions.githubusercontent.com`), the prefix of its condition keys. */
export function oidcProvider(providerArn: string): string | undefined {
  return parseOidcProviderArn(providerArn)?.provider;
}

function servicePrincipalFindings(field: string, service: string): Finding[] {
  if (typeof service === 'string' && SERVICE_PRINCIPAL.test(service)) return [];
  return [
    {
      field,
      value: service,
      problem: 'a service principal is the service name followed by .amazonaws.com',
      fix: 'write it like "ec2.amazonaws.com"; for an account or a role use accounts or roles',
    },
  ];
}

function oidcFindings(field: string, o: OidcTrust): Finding[] {
  const findings: Finding[] = [];
  if (oidcProvider(o.providerArn) === undefined) {
    findings.push({
      field: `${field}.providerArn`,
      value: o.providerArn,
      problem: 'not an IAM OIDC provider ARN',
      fix: 'write it like "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"',
    });
  }
  if (typeof o.audience !== 'string' || o.audience === '') {
    findings.push({
      field: `${field}.audience`,
      value: o.audience,
      problem: 'a web identity trust needs the audience its tokens carry',
      fix: 'give the audience, e.g. "sts.amazonaws.com" for GitHub Actions',
    });
  }
  const subjects = o.subjects ?? [];
  if (subjects.length === 0) {
    findings.push({
      field: `${field}.subjects`,
      value: subjects,
      problem: 'without a sub condition every identity of the provider (any repository, any cluster) may assume the role',
      fix: 'list the subjects, e.g. "repo:my-org/my-repo:ref:refs/heads/main"',
    });
  }
  subjects.forEach((subject, i) => {
    // A subject of wildcards alone is the admission check's OIDC_SUBJECT_UNPINNED, accepted only with a reason.
    if (typeof subject !== 'string' || subject === '') {
      findings.push({ field: `${field}.subjects[${i}]`, value: subject, problem: 'an empty subject matches no token', fix: 'name the subjects, e.g. "repo:my-org/my-repo:ref:refs/heads/main"' });
    }
  });
  return findings;
}
