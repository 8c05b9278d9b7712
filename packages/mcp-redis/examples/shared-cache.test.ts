import { expect, it } from 'vitest';
import { main } from './shared-cache.js';

it('shared-cache: one store reads what the other wrote; a dropped group is gone for both', async () => {
  expect(await main()).toEqual({
    readByOther: '{"tools":[{"name":"forecast"}]}',
    afterDrop: undefined,
  });
});
