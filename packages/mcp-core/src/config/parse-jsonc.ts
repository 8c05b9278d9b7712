// JSON with comments and trailing commas (VS Code's mcp.json is JSONC): comments and
// trailing commas are blanked out, strings untouched, then JSON.parse does the rest.

/** Parses JSON that may hold line and block comments and trailing commas. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let index = 0;
  let pendingComma = -1;
  while (index < text.length) {
    const char = text[index] as string;
    const next = text[index + 1];
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
      pendingComma = -1;
    } else if (char === '/' && next === '/') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 2;
      out += ' ';
    } else if (char === ',') {
      pendingComma = out.length;
      out += char;
      index += 1;
    } else if ((char === '}' || char === ']') && pendingComma !== -1) {
      // A comma with only whitespace or comments before this bracket is a trailing comma.
      out = `${out.slice(0, pendingComma)} ${out.slice(pendingComma + 1)}${char}`;
      pendingComma = -1;
      index += 1;
    } else {
      if (!/\s/.test(char)) pendingComma = -1;
      out += char;
      index += 1;
    }
  }
  return JSON.parse(out);
}
