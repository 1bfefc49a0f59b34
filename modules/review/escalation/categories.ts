/**
 * Risk categories a reviewer must see that no access level shows, read from one grant at a time:
 *
 * - **credentials exposure** (`CREDENTIALS_EXPOSURE`): an action that makes or resets a credential of
 *   another identity: an IAM user's access key, console password, service-specific credential, SSH or
 *   signing key; an EC2 Windows instance's administrator password. A grant that reaches only the caller's
 *   own user (`…:user/${aws:username}`, under any path) is the caller managing its own credentials and is
 *   not flagged;
 * - **data exfiltration** (`DATA_EXFILTRATION`): an action that shares data with principals outside the
 *   account (a bucket policy or ACL, a public access block, replication, a snapshot's or image's launch
 *   permissions, a key policy or grant, a secret's or queue's or repository's resource policy), on any
 *   resource; or one that reads stored data (objects, secrets, parameters, items, decryption, messages)
 *   on every resource of its kind: `*`, a `NotResource`, or an ARN whose resource part matches every
 *   resource of the type (`arn:aws:s3:::*\/*`, `…:secret:*`);
 * - **who gets in** (`ANY_PRINCIPAL`, `CROSS_ACCOUNT`, `OIDC_*`, `COGNITO_UNPINNED`): for a grant of a trust
 *   or resource policy, the findings of the core's admission check (`admissionFindings`) run on that grant
 *   alone, given the account the policy is in. The report shows the same findings per policy; this lets
 *   the diff flag the line that adds a principal of another account, anyone, or a web identity whose
 *   `sub` or `aud` is no longer pinned.
 *
 * Every action named here is one iam-data lists (a test checks it).
 */
import { admissionFindings } from '../../core/admission';
import type { ConditionMap, PolicyDocument, PolicyStatement } from '../../core/policy-document';
import { arnSegments, patternCovers } from '../private/wildcards';
import { resourceType, serviceActions } from '../../core/iam-data';
import type { Grant } from '../grants';
import type { GrantChange, SubjectDiff } from '../permission-diff';
import { conditionId } from '../private/conditions';
import type { RiskFlag } from '../risk-flags';

/** Actions that create or reset a credential of the identity they act on. */
export const CREDENTIAL_ACTIONS: readonly string[] = [
  'ec2:GetPasswordData',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateLoginProfile',
  'iam:UploadSSHPublicKey',
  'iam:UploadSigningCertificate',
];

/** Actions that let principals outside the account read data, on whatever resource. */
export const DATA_SHARING_ACTIONS: readonly string[] = [
  'backup:PutBackupVaultAccessPolicy',
  'dynamodb:PutResourcePolicy',
  'ec2:ModifyImageAttribute',
  'ec2:ModifySnapshotAttribute',
  'ecr:SetRepositoryPolicy',
  'elasticfilesystem:PutFileSystemPolicy',
  'glacier:SetVaultAccessPolicy',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'rds:ModifyDBClusterSnapshotAttribute',
  'rds:ModifyDBSnapshotAttribute',
  's3:PutAccountPublicAccessBlock',
  's3:PutBucketAcl',
  's3:PutBucketPolicy',
  's3:PutBucketPublicAccessBlock',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:PutReplicationConfiguration',
  'secretsmanager:PutResourcePolicy',
  'sns:AddPermission',
  'sqs:AddPermission',
  'ssm:ModifyDocumentPermission',
];

/** Actions that read stored data: flagged when granted on every resource of their kind. */
export const DATA_READ_ACTIONS: readonly string[] = [
  'dynamodb:BatchGetItem',
  'dynamodb:ExportTableToPointInTime',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'kinesis:GetRecords',
  'kms:Decrypt',
  's3:GetObject',
  's3:GetObjectVersion',
  'secretsmanager:GetSecretValue',
  'sqs:ReceiveMessage',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
];

const CREDENTIALS = new Set(CREDENTIAL_ACTIONS.map((a) => a.toLowerCase()));
const SHARING = new Set(DATA_SHARING_ACTIONS.map((a) => a.toLowerCase()));
const READS = new Set(DATA_READ_ACTIONS.map((a) => a.toLowerCase()));

/** The category flags of one grant of an identity policy (or a resource policy's own statements). */
export function categoryFlags(grant: Grant): RiskFlag[] {
  if (grant.effect !== 'Allow') return [];
  const id = grant.action.id;
  const flags: RiskFlag[] = [];
  if (CREDENTIALS.has(id) && !ownUserOnly(grant)) flags.push('CREDENTIALS_EXPOSURE');
  if (SHARING.has(id) || (READS.has(id) && everyResource(grant))) flags.push('DATA_EXFILTRATION');
  return flags;
}

/** Whether the grant reaches only the caller's own IAM user (`user/${aws:username}`, under any path). */
function ownUserOnly(grant: Grant): boolean {
  return grant.action.service === 'iam' && grant.resource.kind === 'pattern' && /^arn:[^:]*:iam::[^:]*:user\/(?:.*\/)?\$\{aws:username\}$/i.test(grant.resource.pattern);
}

/** Whether the grant reaches every resource of the action's types (as far as the ARN's resource part goes). */
function everyResource(grant: Grant): boolean {
  const scope = grant.resource;
  if (scope.kind === 'not') return true;
  if (scope.kind !== 'pattern') return false;
  if (/^\*+$/.test(scope.pattern)) return true;
  const resourcePart = arnSegments(scope.pattern)?.[5];
  if (resourcePart === undefined) return false;
  return resourceParts(grant.action.service, grant.action.name).some((part) => patternCovers(resourcePart, part));
}

const parts = new Map<string, readonly string[]>();

/** The resource parts (sixth field) of an action's resource types' ARN templates, `${…}` as `*`. */
function resourceParts(service: string, name: string): readonly string[] {
  const key = `${service}:${name.toLowerCase()}`;
  let list = parts.get(key);
  if (list === undefined) {
    const data = serviceActions(service).get(name.toLowerCase());
    list = (data?.resourceTypes ?? [])
      .map((t) => resourceType(service, t.name)?.arn)
      .filter((arn): arn is string => arn !== undefined)
      .map((arn) => arnSegments(arn.replace(/\$\{[^}]*\}/g, '*'))?.[5])
      .filter((part): part is string => part !== undefined);
    parts.set(key, list);
  }
  return list;
}

/** Admission findings that are risk flags: who a trust or resource policy lets in. */
const ADMISSION_FLAGS = new Set<RiskFlag>(['ANY_PRINCIPAL', 'CROSS_ACCOUNT', 'OIDC_AUDIENCE_UNPINNED', 'OIDC_SUBJECT_UNPINNED', 'OIDC_SUBJECT_ANY_OWNER', 'COGNITO_UNPINNED']);

/**
 * Who a grant of a trust or resource policy lets in, as flags: the admission check run on the grant
 * alone (`account`: the policy's account; not known, every account principal is `CROSS_ACCOUNT`, as the
 * report says). None for a grant without a principal, a Deny, or `NotPrincipal` (flagged by `grantFlags`).
 */
export function principalFlags(grant: Grant, account?: string): RiskFlag[] {
  if (grant.effect !== 'Allow' || grant.principal === undefined || grant.principal.kind === 'not') return [];
  const statement: PolicyStatement = {
    Effect: 'Allow',
    Principal: grant.principal.kind === 'any' ? '*' : { [grant.principal.type]: grant.principal.id },
    Action: `${grant.action.service}:${grant.action.name}`,
    ...(grant.condition.length > 0 && { Condition: conditionMap(grant) }),
  };
  const document: PolicyDocument = { Version: '2012-10-17', Statement: [statement] };
  const flags = new Set<RiskFlag>();
  for (const finding of admissionFindings(document, account === undefined ? {} : { account })) {
    if (finding.code !== undefined && ADMISSION_FLAGS.has(finding.code as RiskFlag)) flags.add(finding.code as RiskFlag);
  }
  return [...flags];
}

function conditionMap(grant: Grant): ConditionMap {
  const map: Record<string, Record<string, string | string[]>> = {};
  for (const clause of grant.condition) {
    map[clause.operator] ??= {};
    map[clause.operator][clause.key] = clause.values.length === 1 ? clause.values[0] : [...clause.values];
  }
  return map as ConditionMap;
}

const principalFlagCache = new Map<string, RiskFlag[]>();

/** `principalFlags`, kept per principal, condition and account: the grants of one statement share them. */
function cachedPrincipalFlags(grant: Grant, account: string | undefined): RiskFlag[] {
  if (grant.effect !== 'Allow' || grant.principal === undefined) return [];
  const key = `${account ?? ''}\u0000${JSON.stringify(grant.principal)}\u0000${conditionId(grant.condition)}`;
  let flags = principalFlagCache.get(key);
  if (flags === undefined) {
    if (principalFlagCache.size >= 10_000) principalFlagCache.clear();
    flags = principalFlags(grant, account);
    principalFlagCache.set(key, flags);
  }
  return flags;
}

/**
 * The flags the diff adds to a changed grant beyond `grantFlags`: for an Allow added to a trust or resource
 * policy, who it lets in (`principalFlags`, in the subject's account); for a Deny taken away where that
 * widens, `DENY_REMOVED`.
 */
export function changeFlags(change: GrantChange, subject: Pick<SubjectDiff, 'kind' | 'account'>): RiskFlag[] {
  const { grant } = change;
  if (change.change === 'removed') return grant.effect === 'Deny' && change.widens ? ['DENY_REMOVED'] : [];
  if (change.part === 'boundary' || subject.kind === 'service-control-policy') return [];
  return cachedPrincipalFlags(grant, subject.account);
}
