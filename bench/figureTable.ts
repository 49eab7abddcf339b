/** One row of the ratio table: a figure, the physical limit it is divided by (same run), its target. */
export interface Figure {
  readonly figure: string;
  readonly measured: number | null;
  readonly unit: string;
  readonly limit?: { readonly value: number; readonly unit: string; readonly what: string };
  /** measured ÷ limit (or limit ÷ measured when `inverse`, e.g. bytes over event bytes) */
  readonly ratio?: number;
  readonly target: string;
  /** Whether the target holds (null: not measured). */
  readonly met: boolean | null;
  /** Everything else the part measured (latencies, breakdowns, counts), for the JSON file. */
  readonly details?: Record<string, unknown>;
  readonly error?: string;
}

const number = (value: number) => (Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString());

export function formatRatio(ratio: number, unit: '%' | '×'): string {
  return unit === '%' ? `${(ratio * 100).toFixed(1)}%` : `${ratio.toFixed(2)}×`;
}

/** The table in markdown: | figure | measured | limit (same run) | ratio | target |. */
export function markdownTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const measured = f.measured === null ? `not measured (${f.error ?? 'error'})` : `${number(f.measured)} ${f.unit}`;
    const limit = f.limit ? `${number(f.limit.value)} ${f.limit.unit} (${f.limit.what})` : '—';
    const ratio = f.ratio === undefined ? '—' : f.limit?.unit === f.unit && f.unit.startsWith('bytes') ? formatRatio(f.ratio, '×') : formatRatio(f.ratio, '%');
    const verdict = f.met === null ? '' : f.met ? ' ✓' : ' ✗';
    return `| ${f.figure} | ${measured} | ${limit} | ${ratio} | ${f.target}${verdict} |`;
  });
  return ['| figure | measured | limit (same run) | ratio | target |', '|---|---|---|---|---|', ...rows].join('\n');
}
