import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { hclConfiguration, singleInterpolation, template } from '../../../modules/private/terraform-hcl';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';

// The renderer of the generated modules: Terraform's JSON syntax in, HCL out, with the same meaning.
describe('hclConfiguration', () => {
  it('writes a one-interpolation string as its expression, any other string as a quoted template with its literal parts escaped', () => {
    expect(template('${var.a}')).toBe('var.a');
    expect(template('x ${var.a}')).toBe('"x ${var.a}"');
    expect(template('say "hi"\\n')).toBe('"say \\"hi\\"\\\\n"');
    expect(template('$${literal}')).toBe('"$${literal}"');
    expect(template('${join(",", ["a", "b"])}')).toBe('join(",", ["a", "b"])');
    expect(singleInterpolation('${a} and ${b}')).toBeUndefined();
    expect(singleInterpolation('%{ if a }x%{ endif }')).toBeUndefined();
  });

  it("writes a variable's default as a literal: ${ and %{ in it are escaped, not evaluated", () => {
    const hcl = hclConfiguration({ variable: { v: { type: 'string', default: 'a ${b} %{c}', nullable: false } } });
    expect(hcl).toContain('default  = "a $${b} %%{c}"');
  });

  it('gives terraform the same values as the JSON syntax it is written from (terraform console reads both)', () => {
    const terraform = requireTool('terraform', TERRAFORM_INSTALL);
    const config = {
      variable: { v: { type: 'string', default: 'a ${b} %{c} "q" \\ end', nullable: false } },
      locals: { list: ['x', '${var.v}', 'y ${upper("z")}'], object: { 'key-1': '${length(var.v)}', plain: 'tab\there' }, number: 3 },
      output: { o: { value: '${[var.v, local.list, local.object, local.number]}' } },
    };
    const values = (file: string, text: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'hcl-'));
      try {
        writeFileSync(join(dir, file), text);
        const run = spawnSync(terraform, ['console'], {
          cwd: dir,
          input: 'jsonencode([var.v, local.list, local.object, local.number])\n',
          encoding: 'utf8',
          env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
        });
        expect(run.status).toBe(0);
        return run.stdout;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const fromJson = values('main.tf.json', JSON.stringify(config));
    expect(fromJson).toContain('a ${b} %{c}');
    expect(values('main.tf', hclConfiguration(config))).toBe(fromJson);
  });
});
