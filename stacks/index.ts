import type { App } from 'cdktf';
import { CiPoliciesStack } from './ci-policies';
import { CiTerraformGithubStack } from './ci-terraform-github';
import { CiWebStack } from './ci-web';
import { ExampleCorpStack } from './example-corp';
import { JetsDeployStack } from './jets-deploy';
import { StateAccessMultiStack } from './state-access-multi';
import { StateAccessSimpleStack } from './state-access-simple';

/** Every stack of the project, by name: `main.ts` builds them all into one app. */
export const STACKS: ReadonlyArray<readonly [name: string, build: (app: App, name: string) => unknown]> = [
  ['state-access-simple', (app, name) => new StateAccessSimpleStack(app, name)],
  ['state-access-multi', (app, name) => new StateAccessMultiStack(app, name)],
  ['ci-policies', (app, name) => new CiPoliciesStack(app, name)],
  ['ci-web', (app, name) => new CiWebStack(app, name)],
  ['jets-deploy', (app, name) => new JetsDeployStack(app, name)],
  ['example-corp', (app, name) => new ExampleCorpStack(app, name)],
  ['ci-terraform-github', (app, name) => new CiTerraformGithubStack(app, name)],
];

export function buildStacks(app: App): void {
  for (const [name, build] of STACKS) build(app, name);
}
