// Workspace lint config. The module-boundary rule is the dependency rule of the design:
// implementation packages meet only through interface packages.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const boundaries = (extraForTests) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^(\\.\\./)+tools/'],
    depConstraints: [
      // Interface packages stand alone: no other @tframex package.
      { sourceTag: 'type:interface', onlyDependOnLibsWithTags: [] },
      // Implementation packages see interface packages only.
      { sourceTag: 'type:impl', onlyDependOnLibsWithTags: ['type:interface', ...extraForTests] },
      // Workspace tooling (checks, demo, benchmarks) may compose everything.
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  prettier,
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/test-output',
      '**/node_modules',
      '**/vitest.config.*.timestamp*',
      '.tools/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // With noUncheckedIndexedAccess, `!` after a bounds check is the honest way to say so.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message:
            'Export public symbols by name: adding a symbol to index.ts makes it public API.',
        },
      ],
    },
  },
  {
    // Tests, test-only helpers and the executed examples may also use the testing kit.
    files: ['**/*.test.ts', '**/tests/**/*.ts', '**/test-support/**/*.ts', '**/examples/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['role:testkit']),
    },
  },
];
