import { Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';

export interface Point {
  readonly label: string;
  readonly value: number;
}

const H = 160;
/** Drawn at the width of its box (so text keeps its size), never narrower than this. */
const MIN_W = 280;
const PAD = { left: 40, right: 8, top: 10, bottom: 24 };

const niceMax = (values: number[]): number => {
  const max = Math.max(1, ...values);
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
};

/** Bars, one per point (e.g. events per day); hand-made SVG that scales to its box. */
export function BarChart({ points, title, unit }: { points: readonly Point[]; title: string; unit: string }) {
  const { ref, width } = useElementSize();
  const W = Math.max(width, MIN_W);
  const max = niceMax(points.map((point) => point.value));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = plotW / Math.max(points.length, 1);
  const every = Math.ceil(points.length / 8);
  return (
    <figure style={{ margin: 0 }} ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${title}: ${points.map((point) => `${point.label} ${point.value} ${unit}`).join(', ')}`} style={{ display: 'block' }}>
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} stroke="#adb5bd" />
        <text x={PAD.left - 6} y={PAD.top + 8} textAnchor="end" fontSize="11" fill="#868e96">{max}</text>
        <text x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end" fontSize="11" fill="#868e96">0</text>
        {points.map((point, index) => {
          const h = (point.value / max) * plotH;
          const barW = Math.min(band * 0.7, 40);
          const x = PAD.left + index * band + (band - barW) / 2;
          return (
            <g key={point.label}>
              <rect x={x} y={H - PAD.bottom - h} width={barW} height={h} fill="#339af0" rx="2">
                <title>{`${point.label}: ${point.value} ${unit}`}</title>
              </rect>
              {index % every === 0 ? (
                <text x={x + barW / 2} y={H - 8} textAnchor="middle" fontSize="11" fill="#495057">{point.label}</text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <Text component="figcaption" size="xs" c="dimmed">{title}</Text>
    </figure>
  );
}

export interface Series {
  readonly name: string;
  readonly color: string;
  /** [epoch ms, value] */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** Lines over time (e.g. lag per projection over the last minutes); hand-made SVG. */
export function LineChart({ series, title, windowMs, now }: { series: readonly Series[]; title: string; windowMs: number; now: number }) {
  const { ref, width } = useElementSize();
  const W = Math.max(width, MIN_W);
  const max = niceMax(series.flatMap((line) => line.points.map(([, value]) => value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (at: number) => PAD.left + ((at - (now - windowMs)) / windowMs) * plotW;
  const y = (value: number) => H - PAD.bottom - (value / max) * plotH;
  const latest = series.map((line) => `${line.name} ${line.points.at(-1)?.[1] ?? 0}`).join(', ');
  return (
    <figure style={{ margin: 0 }} ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${title}; now: ${latest}`} style={{ display: 'block' }}>
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} stroke="#adb5bd" />
        <text x={PAD.left - 6} y={PAD.top + 8} textAnchor="end" fontSize="11" fill="#868e96">{max}</text>
        <text x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end" fontSize="11" fill="#868e96">0</text>
        <text x={PAD.left} y={H - 8} fontSize="11" fill="#495057">{`−${Math.round(windowMs / 60_000)} min`}</text>
        <text x={W - PAD.right} y={H - 8} textAnchor="end" fontSize="11" fill="#495057">now</text>
        {series.map((line) => (
          <polyline key={line.name} fill="none" stroke={line.color} strokeWidth="2" vectorEffect="non-scaling-stroke" points={line.points.filter(([at]) => at >= now - windowMs).map(([at, value]) => `${x(at).toFixed(1)},${y(value).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
      <Text component="figcaption" size="xs" c="dimmed">
        {title}
        {series.map((line) => (
          <span key={line.name} style={{ marginLeft: 12, color: line.color }}>■ {line.name}</span>
        ))}
      </Text>
    </figure>
  );
}
