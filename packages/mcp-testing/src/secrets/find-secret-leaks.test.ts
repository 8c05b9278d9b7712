import { describe, expect, it } from 'vitest';
import { findSecretLeaks } from './find-secret-leaks.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

describe('findSecretLeaks', () => {
  it('finds a secret in a nested object, a getter and a Map, and names where', () => {
    class Holder {
      readonly #key = 'sk-live-123456';
      readonly name = 'holder';
      get key() {
        return { value: this.#key };
      }
    }
    const root = {
      settings: { tls: { key: '-----BEGIN PRIVATE KEY-----abc' } },
      holder: new Holder(),
      cache: new Map([['a', { token: 'tok-999999' }]]),
    };
    const paths = new Set(
      findSecretLeaks(root, ['-----BEGIN PRIVATE KEY-----abc', 'sk-live-123456', 'tok-999999']).map(
        (leak) => leak.path,
      ),
    );
    expect(paths).toEqual(
      new Set([
        'root',
        'root.settings',
        'root.settings.tls',
        // Printing the holder shows no prototype getter; what the getter returns does.
        'root.holder.key',
        'root.cache',
        'root.cache.<a>',
      ]),
    );
  });

  it('finds nothing when every holder prints a redacted view', () => {
    const tls = { key: 'the-private-key-text' };
    Object.defineProperties(tls, {
      toJSON: { value: () => ({ key: '[redacted]' }) },
      [INSPECT]: { value: () => "{ key: '[redacted]' }" },
    });
    expect(findSecretLeaks({ name: 'x', tls }, ['the-private-key-text'])).toEqual([
      // The root prints its child's redacted view; only the string itself holds the key.
    ]);
  });
});
