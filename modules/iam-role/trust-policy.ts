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
import { type ConditionProps, type PolicyDocument, policyDocument, type PrincipalMap, type StatementProps, listOf } from '../core/policy-document';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { policyFindings } from '../core/validate-policy';

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
   * Partition of the account principals built from `accounts`.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Findings accepted by name, e.g. `SERVICE_PRINCIPAL_UNSCOPED` for a service that cannot send
   * `aws:SourceAccount`.
   * @default - none
   */
  readonly acknowledge?: readonly AcknowledgeableFinding[];
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
const ACCOUNT_ID = /^\d{12}$/;
const PARTITION = /^aws(?:-[a-z]+)*$/;
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\u0021-\u007e]+\/)?[\w+=,.@-]{1,64}$/;
const OIDC_PROVIDER_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:oidc-provider\/([^\s:]+)$/;

/** The trust policy for `props`, checked as a trust policy. Throws a `PolicyValidationError` naming `context`. */
export function trustPolicy(props: TrustPolicyProps, context = 'trustPolicy'): PolicyDocument {
  const { document, findings } = buildTrustPolicy(props);
  throwIfAny(context, findings);
  return document;
}

/** The trust policy for `props` and every finding for it (input findings first), without throwing. */
export function buildTrustPolicy(props: TrustPolicyProps, fieldPrefix = ''): { document: PolicyDocument; findings: Finding[] } {
  const findings: Finding[] = [];
  const at = (field: string) => `${fieldPrefix}${field}`;
  const partition = props.partition ?? 'aws';
  if (!PARTITION.test(partition)) {
    findings.push({ field: at('partition'), value: partition, problem: 'not an AWS partition', fix: "use 'aws', 'aws-cn' or 'aws-us-gov'" });
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
  if (services.length + accounts.length + roles.length + oidc.length === 0) {
    findings.push({
      field: at('(principals)'),
      value: [],
      problem: 'a trust policy needs at least one principal, or no one can assume the role',
      fix: 'give services, accounts, roles or oidc',
    });
  }

  const statements: StatementProps[] = [];
  if (services.length > 0) {
    statements.push({
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: services }],
      ...(props.serviceSourceAccount !== undefined && {
        conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.serviceSourceAccount] }],
      }),
    });
  }
  if (accounts.length + roles.length > 0) {
    statements.push({
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'AWS', identifiers: [...accounts.map((id) => `arn:${partition}:iam::${id}:root`), ...roles] }],
    });
  }
  for (const o of oidc) {
    const provider = oidcProvider(o.providerArn) ?? o.providerArn;
    const conditions: ConditionProps[] = [
      { test: 'StringEquals', variable: `${provider}:aud`, values: [o.audience] },
      { test: 'StringLike', variable: `${provider}:sub`, values: o.subjects },
    ];
    statements.push({ actions: ['sts:AssumeRoleWithWebIdentity'], principals: [{ type: 'Federated', identifiers: [o.providerArn] }], conditions });
  }
  const document = policyDocument({ statements });
  // Document findings only once the input is sound: they would repeat the input's problems less clearly.
  if (findings.length === 0) {
    findings.push(...trustPolicyFindings(document, props.acknowledge ?? []).map((f) => ({ ...f, field: at(f.field) })));
  }
  return { document, findings };
}

/**
 * Every finding for a trust policy document: the core's checks for kind `trust` and the shape of each
 * service principal, less `SERVICE_PRINCIPAL_UNSCOPED` for a statement whose services are all in
 * `SERVICES_WITHOUT_SOURCE_KEYS` (see there).
 */
export function trustPolicyFindings(document: PolicyDocument, acknowledge: readonly AcknowledgeableFinding[]): Finding[] {
  const findings = policyFindings(document, { kind: 'trust', acknowledge }).filter((f) => !acceptedFinding(document, f));
  (document.Statement ?? []).forEach((statement, i) => {
    const principal: PrincipalMap | undefined = statement.Principal;
    if (principal === undefined || principal === '*' || principal.Service === undefined) return;
    listOf(principal.Service).forEach((service, j) => findings.push(...servicePrincipalFindings(`Statement[${i}].Principal.Service[${j}]`, service)));
  });
  return findings;
}

function acceptedFinding(document: PolicyDocument, finding: Finding): boolean {
  const index = /^Statement\[(\d+)\]/.exec(finding.field);
  if (index === null) return false;
  const statement = document.Statement[Number(index[1])];
  const principal = statement?.Principal;
  if (principal === undefined || principal === '*') return false;
  return finding.code === 'SERVICE_PRINCIPAL_UNSCOPED' && principal.Service !== undefined && listOf(principal.Service).every((s) => SERVICES_WITHOUT_SOURCE_KEYS.has(s));
}

/** The provider part of an OIDC provider ARN (`token.actions.githubusercontent.com`), the prefix of its condition keys. */
export function oidcProvider(providerArn: string): string | undefined {
  return OIDC_PROVIDER_ARN.exec(providerArn)?.[1];
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
    findings.push({ field: `${field}.audience`, value: o.audience, problem: 'a web identity trust needs the audience its tokens carry', fix: 'give the audience, e.g. "sts.amazonaws.com" for GitHub Actions' });
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
    if (typeof subject !== 'string' || subject === '' || /^[*?]+$/.test(subject)) {
      findings.push({
        field: `${field}.subjects[${i}]`,
        value: subject,
        problem: 'matches every subject of the provider',
        fix: 'name the subjects, e.g. "repo:my-org/my-repo:*"',
      });
    }
  });
  return findings;
}
