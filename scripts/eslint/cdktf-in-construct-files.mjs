/**
 * ESLint rule `project/cdktf-in-construct-files`: under `modules/`, only a construct file imports cdktf
 * (`cdktf`, `constructs`, `@cdktf/*`, `cdktn`, `@cdktn/*`); every other file is pure. The naming rule it
 * reads is CONTRIBUTING.md's:
 *
 * - a construct file is named after the construct class it exports, in kebab case (`DeployGroup` in
 *   `deploy-group.ts`, `GitHubTerraformRoles` in `github-terraform-roles.ts`);
 * - construct plumbing shared by several families sits in `modules/private/`, each file listed in the
 *   rule's `plumbing` option (eslint.config.mjs), so that a pure helper there cannot import cdktf unseen;
 * - every other file, generators (`terraform-*.ts`) included, is pure.
 *
 * So a pure file that imports cdktf fails, and so does a construct file not named after its class. Type-only
 * imports count too: a pure file's types must not need cdktf either.
 */
import { basename, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the rule reads paths from it whatever the working directory. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const CDKTF = /^(?:cdktf|cdktn|constructs)(?:\/|$)|^@(?:cdktf|cdktn)\//;

/** `GitHubTerraformRoles` and `github-terraform-roles` alike: lower case, no hyphens. */
const squash = (name) => name.replace(/-/g, '').toLowerCase();

/** @type {import('eslint').Rule.RuleModule} */
export const cdktfInConstructFiles = {
  meta: {
    type: 'problem',
    docs: { description: 'Only construct files (named after the construct class they export) and modules/private/ plumbing import cdktf' },
    schema: [
      {
        type: 'object',
        properties: { plumbing: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
        additionalProperties: false,
      },
    ],
    messages: {
      pure:
        "{{file}} may not import '{{source}}': only a construct file imports cdktf, and it is named after the construct class it exports " +
        '(`DeployGroup` in deploy-group.ts) or is construct plumbing listed in eslint.config.mjs; any other file is pure. ' +
        'Move the cdktf code into a construct file, or name this one after its construct (CONTRIBUTING.md, "Files").',
    },
  },
  create(context) {
    const file = relative(ROOT, context.filename).split(sep).join('/');
    const name = basename(file).replace(/\.ts$/, '');
    const plumbing = (context.options[0]?.plumbing ?? []).includes(file);
    const imports = [];
    const classes = [];
    const note = (node, source) => {
      if (typeof source === 'string' && CDKTF.test(source)) imports.push({ node, source });
    };
    return {
      ImportDeclaration: (node) => note(node, node.source.value),
      ExportNamedDeclaration(node) {
        if (node.source) note(node, node.source.value);
        if (node.declaration?.type === 'ClassDeclaration' && node.declaration.id) classes.push(node.declaration.id.name);
      },
      ExportAllDeclaration: (node) => note(node, node.source.value),
      ExportDefaultDeclaration(node) {
        if (node.declaration.type === 'ClassDeclaration' && node.declaration.id) classes.push(node.declaration.id.name);
      },
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference') note(node, node.moduleReference.expression.value);
      },
      TSImportType(node) {
        const literal = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
        note(node, literal?.value);
      },
      ImportExpression: (node) => note(node, node.source.value),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') note(node, node.arguments[0].value);
      },
      'Program:exit'() {
        if (plumbing || classes.some((c) => squash(c) === squash(name))) return;
        if (imports.length === 0) return;
        const source = [...new Set(imports.map((i) => i.source))].join("', '");
        context.report({ node: imports[0].node, messageId: 'pure', data: { file, source } });
      },
    };
  },
};

export default { meta: { name: 'project' }, rules: { 'cdktf-in-construct-files': cdktfInConstructFiles } };
