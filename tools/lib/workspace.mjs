// Facts about the workspace that the tools/ scripts share.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every package under packages/, with its manifest and its Nx tags. */
export function listPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => {
      const path = join(dir, entry.name);
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
      const tags = manifest.nx?.tags ?? [];
      return {
        dir: entry.name,
        path,
        name: manifest.name,
        manifest,
        tags,
        isInterface: tags.includes('type:interface'),
        isImpl: tags.includes('type:impl'),
        isTestkit: tags.includes('role:testkit'),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every file under `dir` whose name passes `keep`, skipping dependencies and outputs. */
export function walk(dir, keep, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'out-tsc', 'test-output'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, keep, out);
    else if (keep(entry.name, path)) out.push(path);
  }
  return out;
}
