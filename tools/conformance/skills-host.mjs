// What the conformance client does as a skills host (SEP-2640, the `io.modelcontextprotocol/
// skills` extension), over any McpSession with the generic `request`: list skills without
// fetching a file, and load one only by verifying each file it reads against the entry
// `skills/list` gave (size, SHA-256 digest, and SKILL.md's frontmatter field by field)
// before reading the next. Content that fails is never used.
import { createHash } from 'node:crypto';

export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';

/** The skill entries the server lists; reads no file. */
export async function listSkills(session) {
  if (typeof session.request !== 'function') {
    throw new Error('this client has no generic request, so it cannot call skills/list');
  }
  const result = await session.request('skills/list', {});
  return Array.isArray(result.skills) ? result.skills : [];
}

function textOf(result, uri) {
  const content =
    (result.contents ?? []).find((entry) => entry.uri === uri) ?? result.contents?.[0];
  if (content === undefined) throw new Error(`${uri}: the server returned no content`);
  return typeof content.text === 'string'
    ? Buffer.from(content.text, 'utf8')
    : Buffer.from(content.blob ?? '', 'base64');
}

/** The flat `key: value` fields of a SKILL.md's YAML frontmatter. */
function frontmatterOf(markdown) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(markdown);
  if (!match) return undefined;
  const fields = {};
  for (const line of match[1].split(/\r?\n/)) {
    const field = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(line);
    if (field) fields[field[1]] = field[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return fields;
}

/** Why `bytes` may not be used as the file `file` describes, or undefined when it may. */
function verificationFailure(file, bytes) {
  if (typeof file.size === 'number' && bytes.length !== file.size)
    return `size ${bytes.length} differs from the listed ${file.size}`;
  if (typeof file.digest === 'string') {
    const [algorithm, expected] = file.digest.split(':');
    if (algorithm !== 'sha256') return `unsupported digest algorithm ${algorithm}`;
    if (createHash('sha256').update(bytes).digest('hex') !== expected?.toLowerCase())
      return 'the SHA-256 digest differs from the listed one';
  }
  return undefined;
}

/**
 * Loads a skill: SKILL.md first, verified (and its frontmatter compared with the entry's),
 * then its other files, each verified. Throws at the first file that fails: nothing after it
 * is read, nothing of it is used. Returns the verified files by URI.
 */
export async function loadSkill(session, entry) {
  const files = new Map();
  const listed = entry.resources ?? [];
  const main = listed.find((file) => file.uri === entry.uri) ?? { uri: entry.uri };
  for (const file of [main, ...listed.filter((other) => other.uri !== entry.uri)]) {
    const bytes = textOf(await session.readResource(file.uri), file.uri);
    const failure = verificationFailure(file, bytes);
    if (failure) throw new Error(`skill ${entry.uri} rejected: ${file.uri}: ${failure}`);
    if (file === main && entry.frontmatter) {
      const fields = frontmatterOf(bytes.toString('utf8'));
      if (!fields) throw new Error(`skill ${entry.uri} rejected: SKILL.md has no frontmatter`);
      for (const [key, value] of Object.entries(entry.frontmatter)) {
        if (String(fields[key]) !== String(value))
          throw new Error(
            `skill ${entry.uri} rejected: frontmatter ${key} differs from the listing`,
          );
      }
    }
    files.set(file.uri, bytes.toString('utf8'));
  }
  return files;
}
