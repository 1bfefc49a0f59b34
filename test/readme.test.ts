/**
 * The READMEs' HCL (the project's, and each generated module's): every module call names a generated
 * module, passes only variables that module has, and every variable it requires. A renamed variable or
 * module fails here, not in a user's `terraform plan`.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { RULES } from '../modules/core/rules';
import { terraformModuleConfigurations } from '../modules/terraform-modules';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

interface ModuleCall {
  readonly label: string;
  readonly module: string;
  readonly args: string[];
}

/** The `module` blocks of a README's ```hcl blocks that call a generated module, with their top-level arguments. */
function moduleCalls(readme: string): ModuleCall[] {
  const blocks = [...readme.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]);
  const calls: ModuleCall[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^module "([^"]+)" \{$/.exec(lines[i]);
      if (!open) continue;
      const args: string[] = [];
      let depth = 1;
      let source = '';
      for (i++; i < lines.length && depth > 0; i++) {
        const line = lines[i].replace(/"(?:[^"\\]|\\.)*"/g, '""');
        const arg = /^\s*([a-z_][a-z0-9_]*)\s*=/.exec(line);
        if (depth === 1 && arg) {
          if (arg[1] === 'source') source = /"([^"]*)"/.exec(lines[i])![1];
          else args.push(arg[1]);
        }
        depth += (line.match(/[{[(]/g) ?? []).length - (line.match(/[}\])]/g) ?? []).length;
      }
      i--;
      const module = /terraform-modules\/([a-z0-9-]+)/.exec(source)?.[1];
      if (module !== undefined) calls.push({ label: open[1], module, args });
    }
  }
  return calls;
}

const GENERATED = terraformModuleConfigurations();
const modules = new Map(
  GENERATED.map(({ dir, files }) => [dir.replace(/^terraform-modules\//, ''), (JSON.parse(files[`${dir}/variables.tf.json`]).variable ?? {}) as Record<string, { default?: unknown }>]),
);

function expectCallFits(call: ModuleCall): void {
  const variables = modules.get(call.module);
  expect({ module: call.module, generated: variables !== undefined }).toEqual({ module: call.module, generated: true });
  const unknown = call.args.filter((a) => !(a in variables!));
  const required = Object.entries(variables!)
    .filter(([, v]) => !('default' in v))
    .map(([name]) => name);
  const missing = required.filter((r) => !call.args.includes(r));
  expect({ module: call.module, unknown, missing }).toEqual({ module: call.module, unknown: [], missing: [] });
}

describe('terraform-modules/<module>/README.md', () => {
  it.each(GENERATED.map(({ dir, files }) => [dir, files[`${dir}/README.md`]] as const))('%s: calls the module itself with its variables only, every required one', (dir, readme) => {
    const calls = moduleCalls(readme);
    expect(calls.map((c) => c.module)).toContain(dir.replace(/^terraform-modules\//, ''));
    for (const call of calls) expectCallFits(call);
  });
});

describe('README.md', () => {
  const calls = moduleCalls(README);

  it('shows HCL calls of the generated modules', () => {
    expect(calls.length).toBeGreaterThanOrEqual(6);
  });

  it.each(calls.map((c) => [c.label, c] as const))('module "%s": a generated module, its variables only, every required one', (_label, call) => {
    expectCallFits(call);
  });
});

describe('README.md: the Errors section', () => {
  const errors = README.slice(README.indexOf('## Errors'), README.indexOf('## Evidence'));
  const ACCEPTED = { reason: 'with a reason', name: 'by name', none: 'never' } as const;

  it.each(Object.entries(RULES))('lists %s, and how it is accepted', (rule, definition) => {
    expect(errors).toMatch(new RegExp(`^\\| \`${rule}\` \\| .+ \\| ${ACCEPTED[definition.accepted]} \\|$`, 'm'));
  });

  it('lists no rule the code does not have', () => {
    const listed = [...errors.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(RULES).sort());
  });
});
