import { type ChildProcess, spawn } from 'child_process';
import { createServer } from 'net';
import { MOTO_INSTALL, requireTool } from './tools';

/** A moto server on 127.0.0.1, stopped by its PID. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A port nobody listens on now: bind port 0 and let the kernel choose. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface MotoOptions {
  /**
   * Load AWS's managed policies into every account (`MOTO_IAM_LOAD_MANAGED_POLICIES=true`): without them
   * moto refuses to attach `arn:aws:iam::aws:policy/…`. Off by default: loading them costs a second or two
   * per account.
   */
  readonly loadManagedPolicies?: boolean;
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const command = requireTool('moto_server', MOTO_INSTALL);
  const port = await freePort();
  const env = { ...process.env, ...(options.loadManagedPolicies && { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' }) };
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child, () => stderr);
  } catch (error) {
    kill(child);
    throw error;
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        kill(child);
      }),
  };
}

function kill(child: ChildProcess): void {
  // moto_server may be a shim that starts Python as a child: end the whole process group.
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${stderr()}`);
}
