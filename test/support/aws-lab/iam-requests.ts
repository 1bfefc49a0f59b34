import { LAB_ACCOUNT, LAB_REGION } from './backend-lab';
import type { Exchange } from './recording-proxy';

/** What a request does to the state, for the expectations of each kind of grant. */
export type RequestKind =
  | 'list' // s3:ListBucket
  | 'state-read' // s3:GetObject of a state object
  | 'state-write' // s3:PutObject of a state object
  | 'state-delete' // s3:DeleteObject of a state object (workspace delete)
  | 'lock' // PutObject of <path>.tflock, PutItem of the lock item
  | 'unlock' // GetObject/DeleteObject of <path>.tflock, GetItem/DeleteItem of the lock item
  | 'digest-read' // GetItem of <path>-md5
  | 'digest-write' // PutItem/DeleteItem of <path>-md5
  | 'kms'; // a KMS call S3 or DynamoDB makes for the caller

/** One authorization IAM makes for a request terraform sent: what the simulator is asked. */
export interface IamRequest {
  /** The terraform command that sent it. */
  readonly command: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  readonly kind: RequestKind;
  /**
   * Terraform carries on when IAM denies it: a listing of the default prefix `env:/` (Backend.Workspaces
   * swallows AccessDenied for it) and a digest read (getMD5 only logs a warning).
   */
  readonly toleratedIfDenied: boolean;
  /** The HTTP exchange, and why IAM evaluates this, for failure messages. */
  readonly origin: string;
}

export interface MappedTraffic {
  readonly requests: IamRequest[];
  /** Exchanges that need no permission (sts:GetCallerIdentity: "No permissions are required"). */
  readonly unauthorized: number;
}

export interface MappingContext {
  /** Key ARN of the lock table's customer managed key, when the scenario's table is said to have one. */
  readonly lockTableKmsKeyArn?: string;
}

/**
 * The IAM requests behind the HTTP exchanges terraform made. Besides one request per exchange:
 * - a HEAD or GET that answered 404 also needs `s3:ListBucket` with `s3:prefix` = the key: without it S3
 *   answers 403 (S3 API reference, HeadObject and GetObject, "Permissions");
 * - under SSE-KMS, S3 calls KMS for the caller: `kms:GenerateDataKey` for each object written,
 *   `kms:Decrypt` for each read (S3 user guide, UsingKMSEncryption.html); moto does not make these calls,
 *   so they are derived from the encryption headers of each exchange;
 * - on a table encrypted with a customer managed key, DynamoDB decrypts the table key with the caller's
 *   permissions when the caller accesses the table (DynamoDB developer guide, encryption at rest).
 * An exchange of a kind not listed here fails the mapping: nothing terraform sends is skipped unread.
 */
export function iamRequestsOf(exchanges: readonly Exchange[], context: MappingContext = {}): MappedTraffic {
  const requests: IamRequest[] = [];
  let unauthorized = 0;
  for (const exchange of exchanges) {
    const target = header(exchange, 'x-amz-target');
    if (exchange.method === 'POST' && target === undefined && exchange.requestBody.includes('Action=GetCallerIdentity')) {
      unauthorized++;
    } else if (target?.startsWith('DynamoDB_20120810.')) {
      requests.push(...dynamoRequests(exchange, target.slice('DynamoDB_20120810.'.length), context));
    } else if (exchange.method !== 'POST') {
      requests.push(...s3Requests(exchange));
    } else {
      throw new Error(`unmapped request: ${describe(exchange)} ${exchange.requestBody.slice(0, 200)}`);
    }
  }
  return { requests, unauthorized };
}

function s3Requests(exchange: Exchange): IamRequest[] {
  const url = new URL(exchange.url, 'http://lab');
  const [, bucket, ...keyParts] = url.pathname.split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const origin = describe(exchange);
  const base = { command: exchange.tag, origin, toleratedIfDenied: false };
  if (key === '') {
    if (exchange.method !== 'GET' || url.searchParams.get('list-type') !== '2') throw new Error(`unmapped bucket request: ${origin}`);
    const prefix = url.searchParams.get('prefix') ?? '';
    return [
      {
        ...base,
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${bucket}`,
        context: { 's3:prefix': prefix, 's3:max-keys': url.searchParams.get('max-keys') ?? '1000' },
        kind: 'list',
        toleratedIfDenied: prefix === 'env:/',
      },
    ];
  }
  const object = `arn:aws:s3:::${bucket}/${key}`;
  const lockFile = key.endsWith('.tflock');
  const requests: IamRequest[] = [];
  const kmsKey = (headers: Exchange['requestHeaders']) => (headers['x-amz-server-side-encryption'] === 'aws:kms' ? (headers['x-amz-server-side-encryption-aws-kms-key-id'] as string) : undefined);
  switch (exchange.method) {
    case 'HEAD':
    case 'GET': {
      requests.push({ ...base, action: 's3:GetObject', resource: object, context: {}, kind: lockFile ? 'unlock' : 'state-read' });
      if (exchange.status === 404) {
        requests.push({
          ...base,
          origin: `${origin}: a 404 needs s3:ListBucket on the key, else S3 answers 403`,
          action: 's3:ListBucket',
          resource: `arn:aws:s3:::${bucket}`,
          context: { 's3:prefix': key },
          kind: 'list',
        });
      }
      const key_ = kmsKey(exchange.responseHeaders);
      // A GET returns the object's bytes, which S3 decrypts for the caller; a HEAD returns metadata only.
      if (exchange.method === 'GET' && exchange.status < 300 && key_ !== undefined) requests.push(kmsRequest(base, 'kms:Decrypt', key_, 's3', origin));
      break;
    }
    case 'PUT': {
      const ifNoneMatch = header(exchange, 'if-none-match');
      requests.push({
        ...base,
        action: 's3:PutObject',
        resource: object,
        context: ifNoneMatch === undefined ? {} : { 's3:if-none-match': ifNoneMatch },
        kind: lockFile ? 'lock' : 'state-write',
      });
      const key_ = kmsKey(exchange.requestHeaders);
      if (key_ !== undefined) requests.push(kmsRequest(base, 'kms:GenerateDataKey', key_, 's3', origin));
      break;
    }
    case 'DELETE':
      requests.push({ ...base, action: 's3:DeleteObject', resource: object, context: {}, kind: lockFile ? 'unlock' : 'state-delete' });
      break;
    default:
      throw new Error(`unmapped object request: ${origin}`);
  }
  return requests;
}

function dynamoRequests(exchange: Exchange, operation: string, context: MappingContext): IamRequest[] {
  const body = JSON.parse(exchange.requestBody) as { TableName: string; Key?: { LockID: { S: string } }; Item?: { LockID: { S: string } } };
  const lockId = (body.Key ?? body.Item)!.LockID.S;
  const digest = lockId.endsWith('-md5');
  const kinds: Record<string, RequestKind> = digest ? { GetItem: 'digest-read', PutItem: 'digest-write', DeleteItem: 'digest-write' } : { GetItem: 'unlock', PutItem: 'lock', DeleteItem: 'unlock' };
  const kind = kinds[operation];
  if (kind === undefined) throw new Error(`unmapped DynamoDB operation ${operation}: ${exchange.requestBody.slice(0, 200)}`);
  const origin = `${operation} ${lockId}`;
  const base = { command: exchange.tag, origin, toleratedIfDenied: kind === 'digest-read' };
  const requests: IamRequest[] = [
    {
      ...base,
      action: `dynamodb:${operation}`,
      resource: `arn:aws:dynamodb:${LAB_REGION}:${LAB_ACCOUNT}:table/${body.TableName}`,
      context: { 'dynamodb:LeadingKeys': [lockId] },
      kind,
    },
  ];
  if (context.lockTableKmsKeyArn !== undefined) {
    requests.push(kmsRequest(base, 'kms:Decrypt', context.lockTableKmsKeyArn, 'dynamodb', origin));
  }
  return requests;
}

function kmsRequest(base: { command: string; toleratedIfDenied: boolean }, action: string, keyArn: string, service: 's3' | 'dynamodb', origin: string): IamRequest {
  return {
    ...base,
    origin: `${origin}: ${service} calls ${action} for the caller`,
    action,
    resource: keyArn,
    context: { 'kms:ViaService': `${service}.${LAB_REGION}.amazonaws.com`, 'kms:CallerAccount': LAB_ACCOUNT },
    kind: 'kms',
  };
}

function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.requestHeaders[name];
  return Array.isArray(value) ? value[0] : value;
}

function describe(exchange: Exchange): string {
  return `[${exchange.tag}] ${exchange.method} ${decodeURIComponent(exchange.url)} -> ${exchange.status}`;
}
