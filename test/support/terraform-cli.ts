import { spawn } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';

/**
 * Runs terraform in `dir`, offline: HOME at `home`, whose empty CLI configuration (`home/terraformrc`) the
 * caller writes, no checkpoint or version calls, no prompts. Resolves with stdout; rejects with everything
 * it printed.
 */
export function terraform(binary: string, dir: string, args: string[], home = dir): Promise<string> {
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
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`terraform ${args.join(' ')} in ${dir} failed (${code}):\n${stdout}\n${stderr}`));
    });
  });
}

/** Expects the committed folder `dir` (under `root`) to hold exactly `files`, byte for byte. */
export function expectCommittedFolder(root: string, dir: string, files: Readonly<Record<string, string>>): void {
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
   */
  constructor(
    private readonly binary: string,
    source: string,
    args: Readonly<Record<string, string>>,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'module-call-'));
    writeFileSync(join(this.dir, 'terraformrc'), '');
    writeFileSync(
      join(this.dir, 'main.tf.json'),
      JSON.stringify({
        variable: { configs: { type: 'any' } },
        module: { p: { for_each: '${var.configs}', source, ...args } },
        output: { policies: { value: '${{ for name, p in module.p : name => p.json }}' } },
      }),
    );
  }

  /** The arguments `{ name: each.value.name }`, with `try(…, null)` for those that may be left out. */
  static arguments(required: readonly string[], optional: readonly string[]): Record<string, string> {
    return Object.fromEntries([
      ...required.map((n) => [n, `\${each.value.${n}}`]),
      ...optional.map((n) => [n, `\${try(each.value.${n}, null)}`]),
    ]);
  }

  async init(): Promise<void> {
    await this.run(['init', '-input=false', '-backend=false']);
  }

  /** Applies the root module for `configs` (outputs only: no resources) and returns each call's `json`. */
  async policies(configs: Readonly<Record<string, unknown>>): Promise<Record<string, string>> {
    writeFileSync(join(this.dir, 'terraform.tfvars.json'), JSON.stringify({ configs }));
    await this.run(['apply', '-auto-approve', '-input=false']);
    const output = JSON.parse(await this.run(['output', '-json'])) as { policies: { value: Record<string, string> } };
    return output.policies.value;
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
