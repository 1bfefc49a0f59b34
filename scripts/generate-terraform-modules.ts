/**
 * Writes the generated Terraform modules (`terraform-modules/`) from their one source of truth in
 * `modules/`: `npm run modules`. Each run writes the same bytes; files in a generated module's folder that
 * the generator no longer produces are removed, so the folder is exactly the generator's output.
 * `--check` writes nothing and exits 1 when the committed folders differ.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import {
  ECR_DOCKER_PUSH_POLICY_MODULE_DIR,
  ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR,
  ecrDockerPushPolicyModuleFiles,
  ecsServiceDeploymentPolicyModuleFiles,
  TERRAGRUNT_POLICY_MODULE_DIR,
  terragruntPolicyModuleFiles,
} from '../modules/ci-policies/terraform-modules';
import { PERMISSIONS_POLICY_MODULE_DIR, permissionsPolicyModuleFiles } from '../modules/state-access/terraform-module';
import { STATE_ACCESS_ROLE_MODULE_DIR, stateAccessRoleModuleFiles } from '../modules/state-access/terraform-role-module';
import { JETS_DEPLOY_POLICY_MODULE_DIR, jetsDeployPolicyModuleFiles } from '../modules/deploy-group/terraform-module';
import { DELEGATED_ROLE_CREATION_POLICY_MODULE_DIR, delegatedRoleCreationPolicyModuleFiles } from '../modules/delegated-role-creation/terraform-module';
import { TRUST_POLICY_MODULE_DIR, trustPolicyModuleFiles } from '../modules/iam-role/terraform-module';
import { IAM_ROLE_MODULE_DIR, iamRoleModuleFiles } from '../modules/iam-role/terraform-role-module';
import { JETS_DEPLOY_GROUP_MODULE_DIR, jetsDeployGroupModuleFiles } from '../modules/deploy-group/terraform-group-module';
import {
  PERMISSIONS_BOUNDARY_MODULE_DIR,
  permissionsBoundaryModuleFiles,
  S3_BUCKET_POLICY_MODULE_DIR,
  s3BucketPolicyModuleFiles,
  SERVICE_CONTROL_POLICY_MODULE_DIR,
  serviceControlPolicyModuleFiles,
} from '../modules/policy-types/terraform-modules';
import { MANAGED_POLICY_MODULE_DIR, managedPolicyModuleFiles } from '../modules/ci-policies/terraform-managed-policy-module';

/** The project root: run-bundled.js runs this file from a bundle under node_modules/.cache. */
function projectRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'least-privilege-iam') return dir;
  }
  throw new Error(`no least-privilege-iam package.json above ${__dirname}`);
}

const root = projectRoot();

/** Every generated module: its folder and its files, by path relative to the project root. */
function generatedModules(): { dir: string; files: Record<string, string> }[] {
  return [
    { dir: PERMISSIONS_POLICY_MODULE_DIR, files: permissionsPolicyModuleFiles() },
    { dir: STATE_ACCESS_ROLE_MODULE_DIR, files: stateAccessRoleModuleFiles() },
    { dir: ECR_DOCKER_PUSH_POLICY_MODULE_DIR, files: ecrDockerPushPolicyModuleFiles() },
    { dir: ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR, files: ecsServiceDeploymentPolicyModuleFiles() },
    { dir: TERRAGRUNT_POLICY_MODULE_DIR, files: terragruntPolicyModuleFiles() },
    { dir: JETS_DEPLOY_POLICY_MODULE_DIR, files: jetsDeployPolicyModuleFiles() },
    { dir: DELEGATED_ROLE_CREATION_POLICY_MODULE_DIR, files: delegatedRoleCreationPolicyModuleFiles() },
    { dir: TRUST_POLICY_MODULE_DIR, files: trustPolicyModuleFiles() },
    { dir: IAM_ROLE_MODULE_DIR, files: iamRoleModuleFiles() },
    { dir: JETS_DEPLOY_GROUP_MODULE_DIR, files: jetsDeployGroupModuleFiles() },
    { dir: SERVICE_CONTROL_POLICY_MODULE_DIR, files: serviceControlPolicyModuleFiles() },
    { dir: PERMISSIONS_BOUNDARY_MODULE_DIR, files: permissionsBoundaryModuleFiles() },
    { dir: S3_BUCKET_POLICY_MODULE_DIR, files: s3BucketPolicyModuleFiles() },
    { dir: MANAGED_POLICY_MODULE_DIR, files: managedPolicyModuleFiles() },
  ];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function main(): void {
  const check = process.argv.includes('--check');
  const differences: string[] = [];
  for (const { dir, files } of generatedModules()) {
    for (const existing of filesUnder(join(root, dir))) {
      const path = relative(root, existing);
      if (!(path in files)) {
        differences.push(`${path}: not generated`);
        if (!check) rmSync(existing);
      }
    }
    for (const [path, contents] of Object.entries(files)) {
      const file = join(root, path);
      if (existsSync(file) && readFileSync(file, 'utf8') === contents) continue;
      differences.push(`${path}: ${existsSync(file) ? 'differs' : 'missing'}`);
      if (!check) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, contents);
      }
    }
  }
  if (check && differences.length > 0) {
    process.stderr.write(`terraform-modules/ differs from the generator's output (run npm run modules):\n${differences.join('\n')}\n`);
    process.exitCode = 1;
  } else if (!check) {
    process.stdout.write(differences.length === 0 ? 'terraform-modules/ is up to date\n' : `wrote:\n${differences.join('\n')}\n`);
  }
}

main();
