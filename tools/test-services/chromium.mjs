// Headless Chromium from Debian for browser tests: where the binary is and the flags it needs
// on this kind of machine (no sandbox as root, no GPU, no network of its own).
import { requireBinary } from './process.mjs';

export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/** Path of Debian's chromium, or an Error naming the package to install. */
export function chromiumPath() {
  return requireBinary('chromium', 'chromium');
}
