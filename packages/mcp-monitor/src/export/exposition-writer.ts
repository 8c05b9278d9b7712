// Writes metric families in the Prometheus text format (0.0.4) or OpenMetrics 1.0. The two
// differ only in metadata: OpenMetrics names a counter family without `_total`, declares the
// unit (which must be the name's suffix, or Prometheus marks the target down) and ends with
// `# EOF`.
import { formatNumber } from '../metrics/duration-buckets.js';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** Escapes a label value (backslash, double quote, line feed), as both formats require. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    : value;
}

/** `name="value"` pairs joined by commas, skipping undefined values. */
export function labelPairs(labels: Record<string, string | number | undefined>): string {
  let text = '';
  for (const [name, value] of Object.entries(labels)) {
    if (value === undefined) continue;
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(String(value))}"`;
  }
  return text;
}

export class ExpositionWriter {
  readonly format: ExpositionFormat;
  readonly #parts: string[] = [];

  constructor(format: ExpositionFormat) {
    this.format = format;
  }

  /**
   * Starts a family. `name` is the sample name without `_total` for counters; units are
   * declared only when the name ends with them.
   */
  family(name: string, type: MetricType, help: string, unit?: string): void {
    const parts = this.#parts;
    if (this.format === 'openmetrics') {
      parts.push(`# TYPE ${name} ${type}\n`);
      if (unit !== undefined && name.endsWith(`_${unit}`)) parts.push(`# UNIT ${name} ${unit}\n`);
      parts.push(`# HELP ${name} ${help}\n`);
    } else {
      const sampleName = type === 'counter' ? `${name}_total` : name;
      parts.push(`# HELP ${sampleName} ${help}\n# TYPE ${sampleName} ${type}\n`);
    }
  }

  /** One sample; `labels` is pre-rendered pair text (may be empty). */
  sample(name: string, labels: string, value: number): void {
    this.#parts.push(
      labels === ''
        ? `${name} ${formatNumber(value)}\n`
        : `${name}{${labels}} ${formatNumber(value)}\n`,
    );
  }

  finish(): string {
    if (this.format === 'openmetrics') this.#parts.push('# EOF\n');
    return this.#parts.join('');
  }
}
