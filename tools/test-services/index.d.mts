// Types for importing the services by path (`tools/test-services/index.mjs`), as the
// module-boundary rule lets packages' tests do.
export * from './index.js';
