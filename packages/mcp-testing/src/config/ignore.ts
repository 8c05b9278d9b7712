// The one place where a failure is deliberately dropped: best-effort cleanup whose failure
// changes nothing (closing what may already be closed).

export function ignore(): void {
  // nothing to do
}
