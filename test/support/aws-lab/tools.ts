import { spawnSync } from 'child_process';

/**
 * The path of `command` on the PATH, or an error saying what to install. Tests that need a tool fail with
 * this message when it is missing: they never pass by skipping.
 */
export function requireTool(command: string, install: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`'${command}' is not on the PATH; ${install}. These tests run the real tool and cannot run without it.`);
  }
  return path;
}

export const TERRAFORM_INSTALL = 'install Terraform 1.10 or later (the S3 backend is built in; no provider is downloaded)';
export const MOTO_INSTALL = "install moto's server with `pip install 'moto[server]'` (it serves S3, DynamoDB, KMS and STS on loopback)";
