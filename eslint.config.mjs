// ESLint 9 flat config: guard rails, not style (prettier owns layout: .prettierrc.json). `npm test` runs
// `eslint .`; `npm run lint` adds `prettier --check`. Why each choice: CONTRIBUTING.md, "Lint and format".
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import project from './scripts/eslint/cdktf-in-construct-files.mjs';

export default defineConfig(
  // Generated or vendored: written by tools, not by hand.
  globalIgnores(['**/node_modules/', 'dist/', '**/cdktf.out/', '**/.gen/', 'terraform-modules/', 'data/', 'coverage/']),

  // The bugs-only sets: ESLint's and typescript-eslint's recommended rules, without type information
  // (tsc already type-checks, and typed linting would double the time of `npm test`).
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `==` only against null (`x == null` covers undefined too); everything else `===`.
      eqeqeq: ['error', 'smart'],
      // The input checks match control characters on purpose, to reject them.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // tsc's noUnusedLocals and noUnusedParameters report these already, with `_` for deliberate ones.
      '@typescript-eslint/no-unused-vars': 'off',
      // A public props interface may be another under its own name (`CiPolicyProps` is `ManagedPolicyProps`).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },

  // Pure files never import cdktf: see scripts/eslint/cdktf-in-construct-files.mjs and CONTRIBUTING.md.
  {
    files: ['modules/**/*.ts'],
    plugins: { project },
    rules: {
      'project/cdktf-in-construct-files': [
        'error',
        {
          // Construct plumbing: what constructs of several families share, in modules/private/, that is not
          // itself a construct file (those, like managed-policy.ts, are allowed by their name).
          plumbing: [
            'modules/private/acknowledgements.ts',
            'modules/private/name-collisions.ts',
            'modules/private/overflow-policies.ts',
            'modules/private/principal-dependencies.ts',
            'modules/private/references.ts',
            'modules/private/stack-output.ts',
            'modules/private/trust-policy-input.ts',
          ],
        },
      ],
    },
  },

  // Tests may require() a package with no types, or load a module late, type loosely what they probe, and
  // match printed output with its indentation written out (their older eslint-disable lines are harmless).
  {
    files: ['test/**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-explicit-any': 'off', 'no-regex-spaces': 'off' },
  },

  // The plain JavaScript: Node's CommonJS scripts and configs (bin/, scripts/*.js, jest's), and this config.
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
