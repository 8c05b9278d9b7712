// package.json lint shared by every package: declared dependencies must match imports.
export async function packageJsonRules() {
  return [
    {
      files: ['**/package.json'],
      rules: {
        '@nx/dependency-checks': [
          'error',
          {
            ignoredFiles: [
              '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
              '{projectRoot}/vitest.config.{js,ts,mjs,mts}',
              '{projectRoot}/**/*.test.ts',
              '{projectRoot}/**/test-support/**',
              '{projectRoot}/tests/**',
            ],
          },
        ],
      },
      languageOptions: { parser: await import('jsonc-eslint-parser') },
    },
  ];
}
