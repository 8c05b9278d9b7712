// Plain-text tables and number formatting for the console report.

/** Prints a table: `columns` is [{ title, align? }], rows are arrays of strings. */
export function printTable(title, columns, rows) {
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => String(row[i] ?? '').length)),
  );
  const line = (cells) =>
    cells
      .map((cell, i) => {
        const text = String(cell ?? '');
        return columns[i].align === 'left' ? text.padEnd(widths[i]) : text.padStart(widths[i]);
      })
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(columns.map((c) => c.title)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export const fmt = {
  ms: (v) =>
    Number.isFinite(v) ? (v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1)) : '-',
  us: (v) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(1) : v.toFixed(0)) : '-'),
  rate: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  ratio: (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-'),
  bytes: (v) => {
    if (!Number.isFinite(v)) return '-';
    const a = Math.abs(v);
    if (a >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(2)} MiB`;
    if (a >= 1024) return `${(v / 1024).toFixed(1)} KiB`;
    return `${v.toFixed(a < 10 ? 1 : 0)} B`;
  },
  pct: (v) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%` : '-'),
};
