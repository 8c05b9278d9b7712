// uPlot's browser build and stylesheet, read from the `uplot` package once per handler, to be
// inlined into the page (no CDN).
export interface ChartLibrary {
  script: string;
  css: string;
}

export async function loadChartLibrary(): Promise<ChartLibrary> {
  const [{ createRequire }, { readFile }] = await Promise.all([
    import('node:module'),
    import('node:fs/promises'),
  ]);
  const require = createRequire(import.meta.url);
  const [script, css] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return { script, css };
}
