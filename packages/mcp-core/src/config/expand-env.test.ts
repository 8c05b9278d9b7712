import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandEnv } from './expand-env.js';

const env = { HOME: '/home/ann', EMPTY: '', TOKEN: 'abc$def' };
const expand = (text: string, variables?: Record<string, string>) =>
  expandEnv(text, { env, variables });

describe('expandEnv', () => {
  it('expands ${VAR}, ${env:VAR} and defaults', () => {
    expect(expand('${HOME}/data')).toEqual({ ok: true, value: '/home/ann/data' });
    expect(expand('${env:HOME}')).toEqual({ ok: true, value: '/home/ann' });
    expect(expand('${MISSING:-fallback}-${EMPTY:-was empty}')).toEqual({
      ok: true,
      value: 'fallback-was empty',
    });
    expect(expand('[${EMPTY}]')).toEqual({ ok: true, value: '[]' });
    expect(expand('${HOME:-unused}')).toEqual({ ok: true, value: '/home/ann' });
  });

  it('does not expand inside values or defaults', () => {
    expect(expand('${TOKEN}')).toEqual({ ok: true, value: 'abc$def' });
    expect(expand('${MISSING:-${HOME}}')).toEqual({ ok: true, value: '${HOME}' });
  });

  it('keeps $$ as a literal $ and a lone $ as it is', () => {
    expect(expand('$${HOME} costs $5 and $$$$')).toEqual({
      ok: true,
      value: '${HOME} costs $5 and $$',
    });
  });

  it('reads variables before the environment, by their whole name', () => {
    expect(
      expand('${workspaceFolder}/x ${input:api-key}', {
        workspaceFolder: '/ws',
        'input:api-key': 'k',
      }),
    ).toEqual({
      ok: true,
      value: '/ws/x k',
    });
  });

  it('reports missing variables and malformed references', () => {
    expect(expand('${NOPE}')).toEqual({
      ok: false,
      failure: { reason: 'missing', variable: 'NOPE' },
    });
    expect(expand('${input:api-key}')).toEqual({
      ok: false,
      failure: { reason: 'missing', variable: 'input:api-key' },
    });
    expect(expand('${HOME')).toEqual({ ok: false, failure: { reason: 'malformed' } });
    expect(expand('${}')).toEqual({ ok: false, failure: { reason: 'malformed' } });
    expect(expand('${A B}')).toEqual({ ok: false, failure: { reason: 'malformed' } });
  });

  it('never reads the prototype chain', () => {
    expect(expandEnv('${constructor}', { env: {} })).toEqual({
      ok: false,
      failure: { reason: 'missing', variable: 'constructor' },
    });
  });

  it('leaves text without $ unchanged, and $$-escaping always round-trips (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = expandEnv(text.replace(/\$/g, '$$$$'), { env: {} });
        expect(escaped).toEqual({ ok: true, value: text });
        if (!text.includes('$'))
          expect(expandEnv(text, { env: {} })).toEqual({ ok: true, value: text });
      }),
    );
  });

  it('substitutes any value verbatim and never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/),
        fc.string(),
        fc.string(),
        (name, value, around) => {
          const clean = around.replace(/\$/g, '');
          expect(expandEnv(`${clean}\${${name}}${clean}`, { env: { [name]: value } })).toEqual({
            ok: true,
            value: `${clean}${value}${clean}`,
          });
          expandEnv(around, { env: { [name]: value } });
        },
      ),
    );
  });
});
