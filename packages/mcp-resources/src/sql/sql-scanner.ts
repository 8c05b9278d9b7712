// A lexical pass over PostgreSQL text: where the placeholders (`?`, `$1`) are, skipping string
// literals, quoted identifiers, dollar-quoted bodies and comments, and how many statements it
// holds. Enough to bind parameters without ever mistaking a quoted `?` for one.
import { McpConfigError } from '@tframex/mcp-api';

/** A piece of SQL text, or a placeholder (`?` gets its 1-based position, `$n` its number). */
export type SqlPiece = string | { readonly placeholder: number; readonly style: '?' | '$' };

export interface ScannedSql {
  readonly pieces: readonly SqlPiece[];
  /** Non-empty statements separated by `;`. */
  readonly statements: number;
  /** Placeholder style used, or undefined when there are none. */
  readonly style: '?' | '$' | undefined;
  /** Highest placeholder number. */
  readonly placeholders: number;
}

const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;

function unterminated(what: string, sql: string): never {
  throw new McpConfigError(`SQL text has an unterminated ${what}`, {
    field: 'sql',
    expected: `SQL with every ${what} closed`,
    received: sql.length > 200 ? `${sql.slice(0, 200)}…` : sql,
  });
}

export function scanSql(sql: string): ScannedSql {
  const pieces: SqlPiece[] = [];
  let text = '';
  let statements = 0;
  let statementHasContent = false;
  let questionCount = 0;
  let highestDollar = 0;
  let style: '?' | '$' | undefined;
  const useStyle = (next: '?' | '$') => {
    if (style !== undefined && style !== next) {
      throw new McpConfigError('SQL mixes ? and $n placeholders', {
        field: 'sql',
        expected: 'either ? placeholders or $1, $2, ... placeholders',
        received: sql.length > 200 ? `${sql.slice(0, 200)}…` : sql,
      });
    }
    style = next;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      text += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < sql.length && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--;
          j += 2;
        } else {
          j++;
        }
      }
      if (depth > 0) unterminated('comment', sql);
      text += sql.slice(i, j);
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      const escapes =
        c === "'" && i > 0 && /[eE]/.test(sql[i - 1]!) && !(i > 1 && IDENT.test(sql[i - 2]!));
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) unterminated(c === "'" ? 'string literal' : 'quoted identifier', sql);
        if (escapes && sql[j] === '\\') {
          j += 2;
          continue;
        }
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      text += sql.slice(i, j + 1);
      statementHasContent = true;
      i = j + 1;
      continue;
    }
    if (c === '$' && !(i > 0 && IDENT.test(sql[i - 1]!))) {
      const number = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      if (number) {
        useStyle('$');
        const n = Number(number[1]);
        highestDollar = Math.max(highestDollar, n);
        pieces.push(text, { placeholder: n, style: '$' });
        text = '';
        statementHasContent = true;
        i += number[0].length;
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 80));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) unterminated('dollar-quoted string', sql);
        text += sql.slice(i, close + tag[0].length);
        statementHasContent = true;
        i = close + tag[0].length;
        continue;
      }
    }
    if (c === '?') {
      if (next === '?') {
        text += '?'; // `??` is a literal `?` (jsonb operators)
        i += 2;
        continue;
      }
      useStyle('?');
      questionCount++;
      pieces.push(text, { placeholder: questionCount, style: '?' });
      text = '';
      statementHasContent = true;
      i++;
      continue;
    }
    if (c === ';') {
      if (statementHasContent) statements++;
      statementHasContent = false;
      text += c;
      i++;
      continue;
    }
    if (!/\s/.test(c)) statementHasContent = true;
    text += c;
    i++;
  }
  if (statementHasContent) statements++;
  pieces.push(text);
  return {
    pieces: pieces.filter((piece) => piece !== ''),
    statements,
    style,
    placeholders: style === '?' ? questionCount : highestDollar,
  };
}
