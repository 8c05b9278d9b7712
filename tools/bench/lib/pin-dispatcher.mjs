// Loading @tframex/mcp-core loads undici 7 from npm, and undici installs its own Agent as
// the process-wide fetch dispatcher when none is set yet: Node's global fetch (which the
// raw SDK client uses) would then run on undici 7 instead of the undici Node ships. An app
// that uses the raw SDK alone never loads undici 7, so before mcp-core is loaded, one fetch
// (to a port nothing listens on: refused at once) makes Node install its own dispatcher.
export async function pinNodeFetchDispatcher() {
  await fetch('http://127.0.0.1:9/').catch(() => undefined);
  return globalThis[Symbol.for('undici.globalDispatcher.1')] !== undefined;
}
