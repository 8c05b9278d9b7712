// Response bodies from servers the client does not control: read with a size cap, and
// discarded without waiting (a stalled body must not hang the caller).

/** Drops a body that will not be read. */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** The body as text, or undefined when it is larger than `limitBytes`. */
export async function readLimitedText(
  response: Response,
  limitBytes: number,
): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limitBytes || !response.body) {
    discardBody(response);
    return declared > limitBytes ? undefined : '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
