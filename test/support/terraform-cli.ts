import { spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join, relative } from 'path';
import { awsManagedPoliciesModuleFiles } from '../../modules/private/terraform-aws-managed-policies';
import { hclConfiguration, hclModuleFiles, singleInterpolation } from '../../modules/private/terraform-hcl';
import { terraformModuleConfigurations } from '../../modules/terraform-modules';

/** An AWS provider configuration that plans offline: fixed example keys, no account lookup, no calls to check them. */
export const OFFLINE_AWS_PROVIDER = {
  region: 'eu-west-1',
  access_key: 'AKIAIOSFODNN7EXAMPLE',
  secret_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
} as const;

/** What a terraform run printed, and how it ended. */
export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came, interleaved. */
  readonly output: string;
}

/**
 * Runs terraform in `dir`, offline: HOME at `home`, whose CLI configuration (`home/terraformrc`) the
 * caller writes, no checkpoint or version calls, no prompts, and `env` on top. Resolves however it ends
 * (killed after 240 s); `terraform` below rejects when it fails.
 */
export function runTerraform(binary: string, dir: string, args: readonly string[], home = dir, env: NodeJS.ProcessEnv = {}): Promise<TerraformRun> {
  const child = spawn(binary, [...args, '-no-color'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: home,
      CHECKPOINT_DISABLE: '1',
      DISABLE_VERSION_CHECK: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_CLI_CONFIG_FILE: join(home, 'terraformrc'),
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.on('data', (c) => ((stdout += c), (output += c)));
  child.stderr.on('data', (c) => ((stderr += c), (output += c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, output });
    });
  });
}

/** Runs terraform as `runTerraform` does; resolves with stdout, rejects with everything it printed. */
export async function terraform(binary: string, dir: string, args: string[], home = dir): Promise<string> {
  const run = await runTerraform(binary, dir, args, home);
  if (run.code !== 0) throw new Error(`terraform ${args.join(' ')} in ${dir} failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/** Expects the committed folder `dir` (under `root`) to hold exactly the generated files, as HCL (`hclModuleFiles`), byte for byte. */
export function expectCommittedFolder(root: string, dir: string, generated: Readonly<Record<string, string>>): void {
  const files = hclModuleFiles(generated);
  const committed = readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
  expect(committed).toEqual(Object.keys(files).sort());
  for (const [path, contents] of Object.entries(files)) expect({ path, contents: readFileSync(join(root, path), 'utf8') }).toEqual({ path, contents });
}

/**
 * A root module, in a temporary folder, that calls one module once per configuration (`for_each` over the
 * variable `configs`) and outputs each call's `json`: the way the differential tests hold a generated
 * policy module against its TypeScript, many configurations in a few terraform runs.
 */
export class ModuleCallRoot {
  readonly dir: string;
  /** How many terraform commands ran. */
  runs = 0;

  /**
   * @param binary the terraform CLI
   * @param source the called module's folder (absolute)
   * @param args the module's arguments, each an expression of `each.value`
   * @param outputs the called module's outputs to collect, by `results`
   */
  constructor(
    private readonly binary: string,
    source: string,
    args: Readonly<Record<string, string>>,
    outputs: readonly string[] = ['json'],
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'module-call-'));
    writeFileSync(join(this.dir, 'terraformrc'), '');
    writeFileSync(
      join(this.dir, 'main.tf.json'),
      JSON.stringify({
        variable: { configs: { type: 'any' } },
        // A relative path: terraform copies a module given by absolute path as a package, whose own calls of
        // ../<module> would then leave it.
        module: { p: { for_each: '${var.configs}', source: relative(this.dir, source), ...args } },
        output: { results: { value: `\${{ for name, p in module.p : name => { ${outputs.map((o) => `${o} = p.${o}`).join(', ')} } }}` } },
      }),
    );
  }

  /** The arguments `{ name: each.value.name }`, with `try(…, null)` for those that may be left out. */
  static arguments(required: readonly string[], optional: readonly string[]): Record<string, string> {
    return Object.fromEntries([...required.map((n) => [n, `\${each.value.${n}}`]), ...optional.map((n) => [n, `\${try(each.value.${n}, null)}`])]);
  }

  async init(): Promise<void> {
    await this.run(['init', '-input=false', '-backend=false']);
  }

  /** Applies the root module for `configs` (outputs only: no resources) and returns each call's `json`. */
  async policies(configs: Readonly<Record<string, unknown>>): Promise<Record<string, string>> {
    const results = await this.results(configs);
    return Object.fromEntries(Object.entries(results).map(([name, outputs]) => [name, outputs.json as string]));
  }

  /** Applies the root module for `configs` (outputs only) and returns each call's outputs. */
  async results(configs: Readonly<Record<string, unknown>>): Promise<Record<string, Record<string, unknown>>> {
    writeFileSync(join(this.dir, 'terraform.tfvars.json'), JSON.stringify({ configs }));
    await this.run(['apply', '-auto-approve', '-input=false']);
    const output = JSON.parse(await this.run(['output', '-json'])) as { results: { value: Record<string, Record<string, unknown>> } };
    return output.results.value;
  }

  /**
   * Each call's outputs for `configs`, as one `terraform plan` computes them (read from the saved plan with
   * `show -json`): the same expressions an apply evaluates, evaluated once where an apply evaluates them in its
   * plan and again in its apply, which for hundreds of calls of the heavier modules is tens of seconds.
   */
  async planned(configs: Readonly<Record<string, unknown>>): Promise<Record<string, Record<string, unknown>>> {
    writeFileSync(join(this.dir, 'planned.tfvars.json'), JSON.stringify({ configs }));
    await this.run(['plan', '-input=false', '-refresh=false', '-lock=false', '-var-file=planned.tfvars.json', '-out=planned.tfplan']);
    const plan = JSON.parse(await this.run(['show', '-json', 'planned.tfplan'])) as { planned_values: { outputs: { results: { value: Record<string, Record<string, unknown>> } } } };
    return plan.planned_values.outputs.results.value;
  }

  /** Plans the root module for `configs` and returns what terraform printed, whether the plan failed or not. */
  async plan(configs: Readonly<Record<string, unknown>>): Promise<string> {
    writeFileSync(join(this.dir, 'plan.tfvars.json'), JSON.stringify({ configs }));
    return this.run(['plan', '-input=false', '-refresh=false', '-var-file=plan.tfvars.json']).then(
      (out) => out,
      (error: Error) => error.message,
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(args: string[]): Promise<string> {
    this.runs++;
    return terraform(this.binary, this.dir, args);
  }
}

/**
 * Plans `cases`, each of which breaks exactly one validation, and expects one "Invalid value for variable"
 * error per case, and each message as many times as there are cases that expect it. The diagnostics name
 * the call (`module.p`) but not its instance, so messages are counted, not matched to cases.
 */
export async function expectRejectedAtPlan(root: ModuleCallRoot, cases: Readonly<Record<string, readonly [config: unknown, message: string]>>): Promise<void> {
  const output = (await root.plan(Object.fromEntries(Object.entries(cases).map(([name, [config]]) => [name, config])))).replace(/\s+/g, ' ');
  const expected = new Map<string, number>();
  for (const [, message] of Object.values(cases)) expected.set(message, (expected.get(message) ?? 0) + 1);
  for (const [message, times] of expected) expect({ message, times: output.split(message.replace(/\s+/g, ' ')).length - 1 }).toEqual({ message, times });
  expect(output.split('Error: Invalid value for variable').length - 1).toBe(Object.keys(cases).length);
}

/** The name of the output that `ungatedCopy` adds for the preconditions of output `name`. */
export const preconditionFailures = (name: string) => `${name}_precondition_failures`;

/**
 * A copy of the generated modules `names` (folders of `terraform-modules/` under `root`) in a temporary
 * `terraform-modules/`, in which no output precondition stops a run: each output's preconditions are moved
 * to an output of their own, `<output>_precondition_failures`, the messages of those that fail (an empty
 * string for each that holds), the same condition and message expressions. A differential test can then
 * read, in one apply of many calls, each call's result and whether the module would have refused it; the
 * preconditions themselves are planned with the real modules. `extraOutputs` adds outputs to a module of the
 * copy (by folder name), e.g. a called module's output it does not pass on. Returns the copy's `terraform-modules/`.
 */
export function ungatedCopy(root: string, names: readonly string[], extraOutputs: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ungated-')), 'terraform-modules');
  for (const name of names) {
    cpSync(join(root, 'terraform-modules', name), join(dir, name), { recursive: true });
    const generated = terraformModuleConfigurations().find((m) => m.dir === `terraform-modules/${name}`);
    if (generated === undefined) throw new Error(`ungatedCopy: terraform-modules/${name} is not a generated module`);
    const path = join(dir, name, 'outputs.tf');
    const file = JSON.parse(generated.files[`terraform-modules/${name}/outputs.tf.json`]) as { output: Record<string, { precondition?: { condition: string; error_message: string }[] }> };
    for (const [output, block] of Object.entries(file.output)) {
      if (block.precondition === undefined) continue;
      file.output[preconditionFailures(output)] = {
        value: block.precondition.map(({ condition, error_message }) => `%{ if !(${singleInterpolation(condition)!}) }${error_message}%{ endif }`),
      } as never;
      delete block.precondition;
    }
    for (const [output, value] of Object.entries(extraOutputs[name] ?? {})) file.output[output] = { value } as never;
    writeFileSync(path, hclConfiguration(file));
  }
  return dir;
}

/**
 * A local mirror of the AWS provider, in terraform's unpacked layout: `TF_AWS_PROVIDER_MIRROR`, or
 * `/opt/tf-plugins` where this kind of machine has one. undefined when there is none.
 */
export function providerMirror(): string | undefined {
  const candidates = [process.env.TF_AWS_PROVIDER_MIRROR, '/opt/tf-plugins'].filter((d): d is string => d !== undefined && d !== '');
  return candidates.find((dir) => existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws')));
}

/**
 * Writes the generated file `path` (a `*.tf.json` configuration a generator composes, from `files`) into `dir`
 * as the `*.tf` file the module commits: tests of a module's variables alone run the HCL users run.
 */
export function writeHclFile(dir: string, files: Readonly<Record<string, string>>, path: string): void {
  if (!path.endsWith('.tf.json')) throw new Error(`writeHclFile: ${path} is not a generated configuration`);
  writeFileSync(join(dir, basename(path, '.json')), hclConfiguration(JSON.parse(files[path]) as Record<string, unknown>));
}

/**
 * For a copy of a generated module's variables alone (`variables.tf` in `dir`): when its validations
 * read `module.aws_managed_policies` (the AWS managed policy check), the module they read, called as the real
 * modules call it but from a folder inside `dir`, so that the copy stands alone.
 */
export function withAwsManagedPolicies(dir: string): void {
  if (!readFileSync(join(dir, 'variables.tf'), 'utf8').includes('module.aws_managed_policies')) return;
  const inside = join(dir, 'aws-managed-policies');
  mkdirSync(inside, { recursive: true });
  for (const [path, text] of Object.entries(hclModuleFiles(awsManagedPoliciesModuleFiles()))) writeFileSync(join(inside, basename(path)), text);
  writeFileSync(join(dir, 'aws-managed-policies-call.tf.json'), JSON.stringify({ module: { aws_managed_policies: { source: './aws-managed-policies' } } }));
}
