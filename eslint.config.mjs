// One lint config for the whole repo: typescript-eslint strictTypeChecked, plus the boundary rule
// that keeps the engine (src/core) free of the `vscode` module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-host/**',
      '.hotloop/**',
      'native/build/**',
      'native/wasm/assembly/**',
      'native/prebuilds/**',
      'examples/**',
      'test/fixtures/**',
      'test/e2e/out/**',
      'hotloop/**',
      '**/*.d.ts',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
      'coverage/**',
      'e2e-out/**',
      '.vscode-test.mjs',
      'corpus/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: [
      'src/core/**/*.ts',
      'src/cli/**/*.ts',
      'src/protocol/**/*.ts',
      'native/**/*.ts',
      'webview-ui/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'Only src/extension/** may import vscode: the engine stays host-neutral.',
            },
          ],
        },
      ],
    },
  },
  {
    // One command registry: every command goes through src/extension/commandRegistry.ts. The engine is
    // the only door: the extension reaches src/core through services.engine() (dist/engine.js, loaded
    // lazily) and type imports; value imports only from the small, light modules listed here.
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/core/(?!(format|paths|settings|profile/format|profile/store|advice/predict)\\.js$)',
              allowTypeImports: true,
              message:
                'src/extension reaches the engine through services.engine() (value) or `import type`; only the allowlisted light core modules may be value-imported (eslint.config.mjs).',
            },
            {
              group: ['**/engine.js'],
              allowTypeImports: true,
              message: 'The engine bundle is loaded lazily by engineLoader.ts; import its types only.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='registerCommand']",
          message:
            'Register commands with registerCommand() from src/extension/commandRegistry.ts (typed ids, one error path).',
        },
      ],
    },
  },
  {
    // The webview imports the protocol and one shared format module; anything else of the engine as types.
    files: ['webview-ui/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/src/(core/(?!format\\.js$)|extension/|cli/)',
              allowTypeImports: true,
              message:
                'The webview bundle imports src/protocol and src/core/format.js only (types of the rest).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['webview-ui/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // node:test's describe/it return promises that the runner awaits itself.
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
