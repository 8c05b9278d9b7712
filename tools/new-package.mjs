#!/usr/bin/env node
// Creates a package under packages/ with the layout, scripts and checks every package shares:
//   node tools/new-package.mjs <name> --kind interface|impl|testkit --description "..."
// then runs `pnpm install` and `nx sync` so the workspace knows about it.
import { execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: 'string', default: 'impl' },
    description: { type: 'string', default: '' },
    'skip-install': { type: 'boolean', default: false },
  },
});

const short = positionals[0];
if (!short || !/^mcp-[a-z][a-z0-9-]*$/.test(short)) {
  console.error('usage: node tools/new-package.mjs mcp-<name> --kind interface|impl|testkit');
  process.exit(2);
}
const kinds = {
  interface: ['type:interface'],
  impl: ['type:impl'],
  testkit: ['type:impl', 'role:testkit'],
};
const tags = kinds[values.kind];
if (!tags) {
  console.error(`--kind must be one of ${Object.keys(kinds).join(', ')}; got "${values.kind}"`);
  process.exit(2);
}
const name = `@tframex/${short}`;
const dir = join(root, 'packages', short);
if (existsSync(dir)) {
  console.error(`packages/${short} already exists`);
  process.exit(2);
}
const isInterface = values.kind === 'interface';

const write = (file, text) => {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
};
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

write(
  'package.json',
  json({
    name,
    version: isInterface ? '1.0.0' : '0.1.0',
    description: values.description,
    license: 'MIT',
    repository: {
      type: 'git',
      url: 'git+https://github.com/tframex/tframex-mcp-ts.git',
      directory: `packages/${short}`,
    },
    keywords: ['mcp', 'model-context-protocol', 'tframex'],
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19' },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': {
        '@tframex/source': './src/index.ts',
        types: './dist/index.d.ts',
        default: './dist/index.js',
      },
      './package.json': './package.json',
    },
    files: ['dist', '!dist/**/*.tsbuildinfo', 'src', '!src/**/*.test.ts', 'README.md', 'LICENSE'],
    publishConfig: { access: 'public' },
    nx: { tags },
    ...(isInterface ? {} : { peerDependencies: {}, devDependencies: {} }),
  }),
);
write(
  'tsconfig.json',
  json({
    extends: '../../tsconfig.base.json',
    files: [],
    include: [],
    references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
  }),
);
write(
  'tsconfig.lib.json',
  json({
    extends: '../../tsconfig.base.json',
    compilerOptions: {
      rootDir: 'src',
      outDir: 'dist',
      tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo',
      emitDeclarationOnly: false,
      types: ['node'],
    },
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.test.ts', 'src/**/test-support/**'],
    references: [],
  }),
);
write(
  'tsconfig.spec.json',
  json({
    extends: '../../tsconfig.base.json',
    compilerOptions: { outDir: './out-tsc/vitest', types: ['node', 'vitest'] },
    include: [
      'src/**/*.test.ts',
      'src/**/test-support/**/*.ts',
      'tests/**/*.ts',
      'examples/**/*.ts',
    ],
    references: [{ path: './tsconfig.lib.json' }],
  }),
);
write(
  'vitest.config.ts',
  `import { fileURLToPath } from 'node:url';
import { definePackageTestConfig } from '../../tools/vitest.shared.ts';

export default definePackageTestConfig(fileURLToPath(new URL('.', import.meta.url)), '${name}');
`,
);
write(
  'eslint.config.mjs',
  `import baseConfig from '../../eslint.config.mjs';
import { packageJsonRules } from '../../tools/eslint.package-json.mjs';

export default [...baseConfig, ...(await packageJsonRules())];
`,
);
write(
  'README.md',
  `# ${name}\n\n${values.description}\n\n\`\`\`sh\nnpm install ${name}\n\`\`\`\n\n## Usage\n\n\`\`\`ts\nimport { VERSION } from '${name}';\n\`\`\`\n`,
);
write('src/index.ts', `// ${name}: ${values.description}\nexport const VERSION = '0.1.0';\n`);
write(
  'src/index.test.ts',
  `import { describe, expect, it } from 'vitest';\nimport { VERSION } from './index.js';\n\ndescribe('${name}', () => {\n  it('exports its version', () => {\n    expect(VERSION).toMatch(/^\\d+\\.\\d+\\.\\d+$/);\n  });\n});\n`,
);
copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));

console.log(`created packages/${short} (${name}, tags ${tags.join(', ')})`);
// Generated files follow the workspace's formatting like every other file.
execSync(
  `node ${JSON.stringify(join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'))} --write --log-level=warn ${JSON.stringify(dir)}`,
  { cwd: root, stdio: 'inherit' },
);
if (!values['skip-install']) {
  execSync('pnpm install', { cwd: root, stdio: 'inherit' });
  execSync('pnpm exec nx sync', { cwd: root, stdio: 'inherit' });
}
