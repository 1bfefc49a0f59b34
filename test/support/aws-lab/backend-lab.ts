import { spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SIMULATED_ACCOUNT } from '../simulator';
import { type MotoServer, startMoto } from './moto';
import { type Exchange, RecordingProxy } from './recording-proxy';
import { requireTool, TERRAFORM_INSTALL } from './tools';

/** moto's default account (the simulator's principal lives in it too), and the region every scenario uses. */
export const LAB_ACCOUNT = SIMULATED_ACCOUNT;
export const LAB_REGION = 'eu-west-1';
export const LAB_BUCKET = 'lab-state-bucket';
export const LAB_TABLE = 'lab-lock-table';
export const LAB_BUCKET_ARN = `arn:aws:s3:::${LAB_BUCKET}`;
export const LAB_TABLE_ARN = `arn:aws:dynamodb:${LAB_REGION}:${LAB_ACCOUNT}:table/${LAB_TABLE}`;
/** The named workspace every scenario creates, applies, reads and deletes. */
export const LAB_WORKSPACE = 'dev';

/** One backend configuration, run through every command. */
export interface BackendScenario {
  readonly name: string;
  /** The backend's `key`. */
  readonly key: string;
  /** The backend's `workspace_key_prefix`; unset means terraform's `env:`. */
  readonly workspaceKeyPrefix?: string;
  /** `dynamodb_table` locking. */
  readonly dynamodb: boolean;
  /** `use_lockfile = true`. */
  readonly lockfile: boolean;
  /** `encrypt = true` with `kms_key_id` (SSE-KMS). */
  readonly kms: boolean;
}

/** What one scenario produced: every exchange, tagged with the command, and the KMS keys it used. */
export interface ScenarioTraffic {
  readonly scenario: BackendScenario;
  readonly exchanges: readonly Exchange[];
  readonly kmsKeyArn?: string;
  /** With `kms` and `dynamodb`: the key the lock table is taken to be encrypted with. */
  readonly lockTableKmsKeyArn?: string;
  /** The commands run, in order (the tags). */
  readonly commands: readonly string[];
}

const LOCK_ID = '5a1b0c7e-0000-4000-8000-00000000lab1';

/**
 * moto and a recording proxy, with the bucket, the lock table and a KMS key created, ready to run real
 * terraform against. Stop it in `afterAll`, whatever happened.
 */
export class BackendLab {
  private constructor(
    private readonly moto: MotoServer,
    private readonly proxy: RecordingProxy,
    private readonly terraform: string,
    private readonly root: string,
    /** The state bucket's key (`kms_key_id`). */
    readonly kmsKeyArn: string,
    /** A second key, said to encrypt the lock table in scenarios with `kms`. */
    readonly lockTableKmsKeyArn: string,
  ) {}

  static async start(): Promise<BackendLab> {
    const terraform = requireTool('terraform', TERRAFORM_INSTALL);
    const moto = await startMoto();
    try {
      const proxy = await RecordingProxy.start(moto.endpoint);
      await awsCall(moto.endpoint, 's3', 'PUT', `/${LAB_BUCKET}`, `<CreateBucketConfiguration><LocationConstraint>${LAB_REGION}</LocationConstraint></CreateBucketConfiguration>`);
      await awsJson(moto.endpoint, 'dynamodb', 'DynamoDB_20120810.CreateTable', {
        TableName: LAB_TABLE,
        AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      const createKey = async (description: string) =>
        ((await awsJson(moto.endpoint, 'kms', 'TrentService.CreateKey', { Description: description })) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
      const stateKey = await createKey('lab state bucket key');
      const tableKey = await createKey('lab lock table key');
      const root = mkdtempSync(join(tmpdir(), 'backend-lab-'));
      writeFileSync(join(root, 'terraformrc'), '');
      return new BackendLab(moto, proxy, terraform, root, stateKey, tableKey);
    } catch (error) {
      await moto.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    rmSync(this.root, { recursive: true, force: true });
    await this.proxy.stop();
    await this.moto.stop();
  }

  /**
   * Runs every command against `scenario`'s backend: init, plan, apply, state pull, workspace
   * list/new/select/delete, force-unlock of a planted lock, and terraform_remote_state reads of the default
   * and the named workspace from a second configuration.
   */
  async run(scenario: BackendScenario): Promise<ScenarioTraffic> {
    const dir = join(this.root, scenario.name);
    const reader = join(this.root, `${scenario.name}-reader`);
    mkdirSync(dir);
    mkdirSync(reader);
    const backend = this.backendConfig(scenario);
    writeJson(join(dir, 'main.tf.json'), {
      terraform: { backend: { s3: backend } },
      resource: { terraform_data: { lab: { input: scenario.name } } },
      output: { name: { value: '${terraform_data.lab.output}' } },
    });
    // A consumer reads with the backend's location only: no lock settings (terraform-s3-backend.md §4).
    const { dynamodb_table: _t, use_lockfile: _l, encrypt: _e, kms_key_id: _k, ...readConfig } = backend;
    writeJson(join(reader, 'main.tf.json'), {
      data: {
        terraform_remote_state: {
          default: { backend: 's3', config: readConfig },
          named: { backend: 's3', workspace: LAB_WORKSPACE, config: readConfig },
        },
      },
      output: { names: { value: '${[data.terraform_remote_state.default.outputs.name, data.terraform_remote_state.named.outputs.name]}' } },
    });

    const first = this.proxy.exchanges.length;
    const commands: string[] = [];
    const tf = (tag: string, cwd: string, ...args: string[]) => {
      commands.push(tag);
      this.proxy.tag = tag;
      return this.terraformIn(cwd, args);
    };
    await tf('init', dir, 'init', '-input=false');
    await tf('plan', dir, 'plan', '-input=false');
    await tf('apply', dir, 'apply', '-input=false', '-auto-approve');
    await tf('state pull', dir, 'state', 'pull');
    await tf('workspace list', dir, 'workspace', 'list');
    await tf('workspace new', dir, 'workspace', 'new', LAB_WORKSPACE);
    await tf('apply (named workspace)', dir, 'apply', '-input=false', '-auto-approve');
    await tf('workspace select', dir, 'workspace', 'select', 'default');
    await this.plantLock(scenario);
    await tf('force-unlock', dir, 'force-unlock', '-force', LOCK_ID);
    await tf('remote_state init', reader, 'init', '-input=false');
    await tf('terraform_remote_state', reader, 'apply', '-input=false', '-auto-approve');
    await tf('workspace delete', dir, 'workspace', 'delete', '-force', LAB_WORKSPACE);
    return {
      scenario,
      exchanges: this.proxy.exchanges.slice(first),
      commands,
      ...(scenario.kms && { kmsKeyArn: this.kmsKeyArn }),
      ...(scenario.kms && scenario.dynamodb && { lockTableKmsKeyArn: this.lockTableKmsKeyArn }),
    };
  }

  private backendConfig(scenario: BackendScenario): Record<string, unknown> {
    const endpoint = this.proxy.endpoint;
    return {
      bucket: LAB_BUCKET,
      key: scenario.key,
      region: LAB_REGION,
      ...(scenario.workspaceKeyPrefix !== undefined && { workspace_key_prefix: scenario.workspaceKeyPrefix }),
      ...(scenario.dynamodb && { dynamodb_table: LAB_TABLE }),
      ...(scenario.lockfile && { use_lockfile: true }),
      ...(scenario.kms && { encrypt: true, kms_key_id: this.kmsKeyArn }),
      use_path_style: true,
      access_key: 'lab',
      secret_key: 'lab',
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      endpoints: { s3: endpoint, dynamodb: endpoint, sts: endpoint, iam: endpoint },
    };
  }

  /** A lock left behind by a crashed run, in every mechanism the scenario uses, for force-unlock. */
  private async plantLock(scenario: BackendScenario): Promise<void> {
    const info = JSON.stringify({
      ID: LOCK_ID,
      Operation: 'OperationTypeApply',
      Info: '',
      Who: 'crashed@lab',
      Version: '1.11.4',
      Created: '2026-12-01T00:00:00Z',
      Path: `${LAB_BUCKET}/${scenario.key}`,
    });
    if (scenario.lockfile) await awsCall(this.moto.endpoint, 's3', 'PUT', `/${LAB_BUCKET}/${scenario.key}.tflock`, info);
    if (scenario.dynamodb) {
      await awsJson(this.moto.endpoint, 'dynamodb', 'DynamoDB_20120810.PutItem', {
        TableName: LAB_TABLE,
        Item: { LockID: { S: `${LAB_BUCKET}/${scenario.key}` }, Info: { S: info } },
      });
    }
  }

  /** Runs terraform without blocking: the recording proxy answers it from this same process. */
  private terraformIn(cwd: string, args: string[]): Promise<void> {
    const child = spawn(this.terraform, [...args, '-no-color'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: this.root,
        AWS_EC2_METADATA_DISABLED: 'true',
        CHECKPOINT_DISABLE: '1',
        DISABLE_VERSION_CHECK: '1',
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        TF_CLI_CONFIG_FILE: join(this.root, 'terraformrc'),
      },
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`terraform ${args.join(' ')} in ${cwd} failed (${code}):\n${output}`));
      });
    });
  }
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

// Set-up calls go straight to moto, not through the proxy: they are not terraform's. moto takes the
// region and service from the credential scope of the Authorization header; it does not check signatures.
function authorization(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=lab/20261201/${LAB_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

async function awsCall(endpoint: string, service: string, method: string, path: string, body: string): Promise<string> {
  const response = await fetch(`${endpoint}${path}`, { method, body, headers: { authorization: authorization(service) } });
  const text = await response.text();
  if (!response.ok) throw new Error(`lab set-up ${method} ${path}: ${response.status} ${text}`);
  return text;
}

async function awsJson(endpoint: string, service: string, target: string, body: unknown): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: authorization(service), 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`lab set-up ${target}: ${response.status} ${text}`);
  return JSON.parse(text);
}
