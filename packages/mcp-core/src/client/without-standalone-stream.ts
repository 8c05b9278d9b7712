// A fetch for pooled sessions after the first: the standalone GET stream (where a legacy-era
// server sends what belongs to no request) is answered 405 locally, which the SDK takes as
// "this server offers none". Resuming a broken response stream (a GET with Last-Event-ID)
// still goes to the server.
import type { FetchLike } from '../adapter/sdk-adapter.js';

export function withoutStandaloneStream(fetch: FetchLike): FetchLike {
  return (input, init) => {
    if (init?.method === 'GET' && !new Headers(init.headers).has('last-event-id')) {
      return Promise.resolve(new Response(null, { status: 405, statusText: 'Method Not Allowed' }));
    }
    return fetch(input, init);
  };
}
