#!/usr/bin/env node
// The dependency rule, enforced on manifests and on source imports:
// - interface packages have no runtime dependencies and import no other @tframex package;
// - implementation packages depend on, and import, interface packages only (as peers, with
//   the matching workspace dev dependency); their tests may also use the testing kit.
// Exits 1 with one line per violation, naming the file and the offending import.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { listPackages, root, walk } from './lib/workspace.mjs';

const packages = listPackages();
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
const violations = [];
const flag = (where, message) => violations.push(`${where}: ${message}`);

const isTestFile = (path) => /\.test\.ts$|[\\/](tests|test-support)[\\/]/.test(path);
const IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](@tframex\/[^'"/]+)[^'"]*['"]/g;

for (const pkg of packages) {
  const where = `packages/${pkg.dir}/package.json`;
  const {
    dependencies = {},
    peerDependencies = {},
    optionalDependencies = {},
    devDependencies = {},
  } = pkg.manifest;
  const runtime = { ...dependencies, ...peerDependencies, ...optionalDependencies };

  if (!pkg.isInterface && !pkg.isImpl)
    flag(where, 'has neither the type:interface nor the type:impl tag (nx.tags)');

  if (pkg.isInterface) {
    for (const dep of Object.keys(runtime)) {
      flag(
        where,
        `interface package ${pkg.name} must have zero runtime dependencies, but declares "${dep}"`,
      );
    }
  }

  for (const dep of [...Object.keys(runtime), ...Object.keys(devDependencies)]) {
    const target = byName.get(dep);
    if (!target || target.name === pkg.name) continue;
    const isDev = dep in devDependencies && !(dep in runtime);
    if (pkg.isInterface && !isDev) continue; // already reported above
    if (target.isInterface) {
      if (pkg.isInterface)
        flag(
          where,
          `interface package ${pkg.name} depends on ${dep}; interface packages stand alone`,
        );
      else if (!(dep in peerDependencies) && !isDev) {
        flag(
          where,
          `${dep} must be a peerDependency of ${pkg.name} (with a workspace devDependency), not a dependency`,
        );
      }
      continue;
    }
    if (isDev && target.isTestkit && !pkg.isTestkit) continue; // tests may use the testing kit
    flag(
      where,
      `${pkg.name} depends on implementation package ${dep}${isDev ? ' (devDependencies)' : ''}; implementation packages meet only through interface packages`,
    );
  }

  for (const dep of Object.keys(peerDependencies)) {
    if (
      byName.get(dep)?.isInterface &&
      !String(devDependencies[dep] ?? '').startsWith('workspace:')
    ) {
      flag(where, `peer ${dep} needs the matching "workspace:" devDependency`);
    }
  }

  const sources = walk(`${pkg.path}/src`, (name) => name.endsWith('.ts')).concat(
    walk(`${pkg.path}/tests`, (name) => name.endsWith('.ts')),
  );
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const dep = match[1];
      const target = byName.get(dep);
      if (!target || target.name === pkg.name) continue;
      const line = text.slice(0, match.index).split('\n').length;
      const at = `${relative(root, file)}:${line}`;
      if (target.isInterface && !pkg.isInterface) {
        if (!(dep in peerDependencies) && !(isTestFile(file) && dep in devDependencies)) {
          flag(at, `imports ${dep}, which ${pkg.name} does not declare as a peerDependency`);
        }
        continue;
      }
      if (target.isTestkit && isTestFile(file) && !pkg.isInterface) continue;
      const kind = target.isInterface ? 'another interface package' : 'implementation package';
      flag(
        at,
        `imports ${dep} (${kind}); ${pkg.name} may import ${pkg.isInterface ? 'no @tframex package' : 'interface packages only'}`,
      );
    }
  }
}

if (violations.length > 0) {
  console.error(`Dependency rule violated (${violations.length}):`);
  for (const violation of violations) console.error(`  ${violation}`);
  process.exit(1);
}
console.log(`Dependency rule holds for ${packages.length} packages.`);
