import { readdirSync } from 'fs';
import { join } from 'path';

/** The examples that are not Terraform root modules: the consumer apps (test/consumers) and the CI workflow. */
const NOT_TERRAFORM = ['cdktf-app', 'cdktn-app', 'github-actions'];

/** The folders of `<root>/examples` that are Terraform root modules, sorted. */
export function terraformExamples(root: string): string[] {
  return readdirSync(join(root, 'examples'))
    .filter((name) => !NOT_TERRAFORM.includes(name))
    .sort();
}
