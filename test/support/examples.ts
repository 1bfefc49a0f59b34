import { readdirSync } from 'fs';
import { join } from 'path';
import { terraformModuleConfigurations } from '../../modules/terraform-modules';

/** The examples that are not Terraform root modules: the consumer apps (test/consumers) and the CI workflow. */
const NOT_TERRAFORM = ['cdktf-app', 'cdktn-app', 'github-actions'];

/** The folders of `<root>/examples` that are Terraform root modules, sorted. */
export function terraformExamples(root: string): string[] {
  return readdirSync(join(root, 'examples'))
    .filter((name) => !NOT_TERRAFORM.includes(name))
    .sort();
}

/**
 * Whether the generated module `terraform-modules/<name>`, or a module it calls, requires the AWS provider. The
 * committed files are HCL; their generator's configuration (the same blocks, in JSON syntax) is read. A name
 * that is no generated module throws.
 */
export function moduleUsesAws(name: string, seen = new Set<string>()): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const generated = terraformModuleConfigurations().find(({ dir }) => dir === `terraform-modules/${name}`);
  if (generated === undefined) throw new Error(`moduleUsesAws: terraform-modules/${name} is not a generated module`);
  const read = (file: string) =>
    JSON.parse(generated.files[`terraform-modules/${name}/${file}`] ?? '{}') as { terraform?: { required_providers?: { aws?: unknown } }; module?: Record<string, { source: string }> };
  if (read('versions.tf.json').terraform?.required_providers?.aws !== undefined) return true;
  return Object.values(read('main.tf.json').module ?? {}).some(({ source }) => source.startsWith('../') && moduleUsesAws(source.slice(3), seen));
}
