/**
 * What every stack's settings share (stacks/private/stack-settings.ts): the names they are read by, the
 * order, the README's table of them. Each stack's own test shows its settings from the environment, from
 * the context and from props, and its bad values refused.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { type App, type TerraformStack, Testing } from 'cdktf';
import { STACK_SETTINGS, STACKS } from '../../stacks';
import { CI_POLICIES_SETTINGS, CiPoliciesStack } from '../../stacks/ci-policies';
import { CI_TERRAFORM_GITHUB_SETTINGS, CiTerraformGithubStack } from '../../stacks/ci-terraform-github';
import { CI_WEB_SETTINGS, CiWebStack } from '../../stacks/ci-web';
import { JETS_DEPLOY_SETTINGS, JetsDeployStack } from '../../stacks/jets-deploy';
import { STATE_ACCESS_MULTI_SETTINGS, StateAccessMultiStack } from '../../stacks/state-access-multi';
import { STATE_ACCESS_SIMPLE_SETTINGS, StateAccessSimpleStack } from '../../stacks/state-access-simple';
import { configurationError, resourcesOf, synthConfigured, withEnv } from './configured';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const DEPLOYING = README.slice(README.indexOf('## Deploying'), README.indexOf('\n## ', README.indexOf('## Deploying') + 1));

/** Each stack's settings, and the stack built with props. */
const BUILDERS: ReadonlyArray<readonly [(typeof STACK_SETTINGS)[number], (app: App, props: Record<string, unknown>) => TerraformStack]> = [
  [STATE_ACCESS_SIMPLE_SETTINGS, (app, props) => new StateAccessSimpleStack(app, undefined, props)],
  [STATE_ACCESS_MULTI_SETTINGS, (app, props) => new StateAccessMultiStack(app, undefined, props)],
  [CI_POLICIES_SETTINGS, (app, props) => new CiPoliciesStack(app, undefined, props)],
  [CI_WEB_SETTINGS, (app, props) => new CiWebStack(app, undefined, props)],
  [JETS_DEPLOY_SETTINGS, (app, props) => new JetsDeployStack(app, undefined, props)],
  [CI_TERRAFORM_GITHUB_SETTINGS, (app, props) => new CiTerraformGithubStack(app, undefined, props)],
];

describe("the stacks' settings", () => {
  it('every stack but example-corp (which reads its own) has them, read under prefixes made from its name', () => {
    expect(STACK_SETTINGS.map((s) => s.stack).sort()).toEqual(
      STACKS.map(([name]) => name)
        .filter((name) => name !== 'example-corp')
        .sort(),
    );
    const ciTerraformGithub = STACK_SETTINGS.find((s) => s.stack === 'ci-terraform-github')!;
    expect([ciTerraformGithub.envPrefix, ciTerraformGithub.contextPrefix]).toEqual(['CI_TERRAFORM_GITHUB', 'ciTerraformGithub']);
  });

  it.each(STACK_SETTINGS.map((s) => [s.stack, s] as const))("the README's Deploying section lists %s's, each with its default, and no other", (stack, settings) => {
    const row = DEPLOYING.split('\n').find((line) => line.startsWith(`| \`${stack}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| \`${settings.envPrefix}_\` / \`${settings.contextPrefix}.\` |`);
    const listed = [...row!.matchAll(/`(\w+)` \(`([^`]*)`\)/g)].map((m) => [m[1], m[2]]);
    expect(listed).toEqual(Object.entries(settings.defaults()));
  });

  it('an empty environment variable counts as unset', () => {
    const out = synthConfigured(CI_WEB_SETTINGS, (app) => new CiWebStack(app), { env: { CI_WEB_ROLE_NAME: '' }, context: { 'ciWeb.roleName': 'context-role' } });
    expect(resourcesOf(out, 'aws_iam_role')[0].name).toBe('context-role');
  });

  it.each(BUILDERS.map((b) => [b[0].stack, ...b] as const))('%s: each setting given as a prop, at the value read by default, changes nothing', (name, settings, build) => {
    const synth = (props: Record<string, unknown>) => withEnv(settings, {}, () => Testing.synth(build(Testing.app(), props)));
    const defaults = withEnv(settings, {}, () => settings.read(Testing.app(), name, {}));
    expect(Object.keys(defaults)).toEqual(Object.keys(settings.specs));
    expect(synth(defaults)).toBe(synth({}));
  });

  it('puts the environment back as it was after each test, whatever the stack did', () => {
    process.env.CI_WEB_OUTSIDE = 'kept';
    try {
      expect(configurationError(CI_WEB_SETTINGS, (app) => new CiWebStack(app), { env: { CI_WEB_ACCOUNT: '1' } })).toContain('CI_WEB_ACCOUNT (environment)');
      expect(Object.keys(process.env).filter((key) => key.startsWith('CI_WEB_'))).toEqual(['CI_WEB_OUTSIDE']);
    } finally {
      delete process.env.CI_WEB_OUTSIDE;
    }
  });
});
