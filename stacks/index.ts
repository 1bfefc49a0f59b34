import type { App } from 'cdktf';
import { CI_POLICIES_SETTINGS, CiPoliciesStack } from './ci-policies';
import { CI_TERRAFORM_GITHUB_SETTINGS, CiTerraformGithubStack } from './ci-terraform-github';
import { CI_WEB_SETTINGS, CiWebStack } from './ci-web';
import { ExampleCorpStack } from './example-corp';
import { JETS_DEPLOY_SETTINGS, JetsDeployStack } from './jets-deploy';
import type { SettingSpec, StackSettingSpecs } from './private/stack-settings';
import { STATE_ACCESS_MULTI_SETTINGS, StateAccessMultiStack } from './state-access-multi';
import { STATE_ACCESS_SIMPLE_SETTINGS, StateAccessSimpleStack } from './state-access-simple';

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

/**
 * The settings of every stack but `example-corp` (which reads its own, in `example-corp.ts`): what the
 * README's "Settings of the stacks" table lists.
 */
export const STACK_SETTINGS: ReadonlyArray<StackSettingSpecs<Readonly<Record<string, SettingSpec>>>> = [
  STATE_ACCESS_SIMPLE_SETTINGS,
  STATE_ACCESS_MULTI_SETTINGS,
  CI_POLICIES_SETTINGS,
  CI_WEB_SETTINGS,
  JETS_DEPLOY_SETTINGS,
  CI_TERRAFORM_GITHUB_SETTINGS,
];

export function buildStacks(app: App): void {
  for (const [name, build] of STACKS) build(app, name);
}
