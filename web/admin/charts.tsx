import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

/**
 * Small SVG charts drawn at the size they are shown (one SVG unit is one CSS pixel), so their
 * labels stay legible on a phone; each has axes with units, a text alternative, and its
 * numbers as a table behind "Show as a table" for screen readers and anyone who prefers one.
 */
export const COLOURS = { published: "#2e7d4f", pending: "#b26a00", rejected: "#b3261e", removed: "#6b6b6b" } as const;
type Status = keyof typeof COLOURS;
const STATUSES = Object.keys(COLOURS) as Status[];
export const WORDS: Record<Status, string> = { published: "Published", pending: "Held", rejected: "Rejected", removed: "Removed" };

/** The width the element is drawn at, following resizes. */
function useWidth(fallback: number): [(el: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => () => observer.current?.disconnect(), []);
  const ref = (el: HTMLElement | null) => {
    observer.current?.disconnect();
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    observer.current.observe(el);
  };
  return [ref, width];
}

/** Round numbers for an axis from 0 to at least `max`: at most six, in steps of 1, 2 or 5 × 10ⁿ. */
export function ticks(max: number): number[] {
  let step = 1;
  for (let scale = 1; ; scale *= 10) {
    const found = [1, 2, 5].map((m) => m * scale).find((s) => Math.ceil(max / s) <= 5);
    if (found) {
      step = found;
      break;
    }
  }
  const result: number[] = [];
  for (let v = 0; v <= Math.ceil(max / step) * step; v += step) result.push(v);
  return result;
}

function AsTable(props: { caption: string; children: ComponentChildren }) {
  return (
    <details class="as-table">
      <summary>Show as a table</summary>
      <table>
        <caption class="sr-only">{props.caption}</caption>
        {props.children}
      </table>
    </details>
  );
}

const hourLabel = (at: string, long: boolean) =>
  new Date(at).toLocaleString([], long ? { weekday: "short", hour: "2-digit" } : { hour: "2-digit", minute: "2-digit" });

export function HourBars(props: { hours: ({ at: string } & Record<Status, number>)[]; label: string }) {
  const [ref, width] = useWidth(720);
  const height = 190;
  const left = 40;
  const bottom = 36;
  const plotTop = 28;
  const plot = { w: width - left - 8, h: height - bottom - plotTop };
  const totals = props.hours.map((h) => STATUSES.reduce((n, s) => n + h[s], 0));
  const axis = ticks(Math.max(1, ...totals));
  const top = axis[axis.length - 1];
  const bar = plot.w / Math.max(1, props.hours.length);
  const long = props.hours.length > 24;
  // As many time labels as fit, about 70 px apart.
  const every = Math.max(1, Math.ceil(props.hours.length / Math.max(1, Math.floor(plot.w / 70))));
  return (
    <figure class="chart-figure" ref={ref}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label} class="chart">
        {axis.map((v) => {
          const y = plotTop + plot.h - (v / top) * plot.h;
          return (
            <g key={v}>
              <line x1={left} x2={left + plot.w} y1={y} y2={y} class="grid" />
              <text x={left - 6} y={y + 4} class="tick" text-anchor="end">{v}</text>
            </g>
          );
        })}
        <text x={0} y={12} class="axis-title">Comments</text>
        {props.hours.map((h, i) => {
          let y = plotTop + plot.h;
          return (
            <g key={h.at}>
              {STATUSES.map((s) => {
                const size = (h[s] / top) * plot.h;
                y -= size;
                return size > 0 ? <rect key={s} x={left + i * bar + 0.5} y={y} width={Math.max(1, bar - 1)} height={size} fill={COLOURS[s]} /> : null;
              })}
              {i % every === 0 && (
                <text x={left + i * bar} y={height - bottom + 16} class="tick">{hourLabel(h.at, long)}</text>
              )}
            </g>
          );
        })}
        <line x1={left} x2={left + plot.w} y1={plotTop + plot.h} y2={plotTop + plot.h} class="axis" />
        <text x={left + plot.w} y={height - 4} class="axis-title" text-anchor="end">Hour (your time)</text>
      </svg>
      <AsTable caption={props.label}>
        <thead>
          <tr><th scope="col">Hour</th>{STATUSES.map((s) => <th key={s} scope="col">{WORDS[s]}</th>)}</tr>
        </thead>
        <tbody>
          {props.hours.filter((_, i) => totals[i] > 0).map((h) => (
            <tr key={h.at}><th scope="row">{hourLabel(h.at, long)}</th>{STATUSES.map((s) => <td key={s}>{h[s]}</td>)}</tr>
          ))}
        </tbody>
      </AsTable>
    </figure>
  );
}

/** One bar split by share, with a legend that carries the numbers. */
export function ShareBar(props: { shares: Record<Status, number> }) {
  const total = Math.max(1, Object.values(props.shares).reduce((a, b) => a + b, 0));
  let x = 0;
  const entries = Object.entries(props.shares) as [Status, number][];
  const pct = (n: number) => `${Math.round((n / total) * 100)}%`;
  return (
    <figure class="chart-figure">
      <svg viewBox="0 0 400 24" preserveAspectRatio="none" role="img" aria-label={entries.map(([s, n]) => `${WORDS[s]} ${n} (${pct(n)})`).join(", ")} class="chart share">
        {entries.map(([s, n]) => {
          const w = (n / total) * 400;
          const rect = <rect key={s} x={x} y={0} width={w} height={24} fill={COLOURS[s]} />;
          x += w;
          return rect;
        })}
      </svg>
      <figcaption class="legend">
        {entries.map(([s, n]) => (
          <span key={s}><i class={`swatch ${s}`} aria-hidden="true" /> {WORDS[s]}: {n} comments ({pct(n)})</span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars for ranked lists (hold reasons, queue age bands), counted in `unit`. */
export function RankBars(props: { rows: { label: string; value: number }[]; label: string; unit: string; heading: string }) {
  const [ref, width] = useWidth(400);
  const rowHeight = 28;
  const labelWidth = Math.min(200, Math.floor(width * 0.5));
  const valueRoom = 44;
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  const barWidth = (v: number) => (v / max) * (width - labelWidth - valueRoom);
  return (
    <figure class="chart-figure" ref={ref}>
      <svg width={width} height={props.rows.length * rowHeight + 22} viewBox={`0 0 ${width} ${props.rows.length * rowHeight + 22}`} role="img" aria-label={props.label} class="chart">
        {props.rows.map((r, i) => (
          <g key={r.label}>
            <text x={0} y={i * rowHeight + 18} class="tick">{r.label}</text>
            <rect x={labelWidth} y={i * rowHeight + 6} width={barWidth(r.value)} height={16} fill="#3d5a98" />
            <text x={labelWidth + barWidth(r.value) + 6} y={i * rowHeight + 19} class="tick">{r.value}</text>
          </g>
        ))}
        <text x={width} y={props.rows.length * rowHeight + 16} class="axis-title" text-anchor="end">{props.unit}</text>
      </svg>
      <AsTable caption={props.label}>
        <thead><tr><th scope="col">{props.heading}</th><th scope="col">{props.unit}</th></tr></thead>
        <tbody>{props.rows.map((r) => <tr key={r.label}><th scope="row">{r.label}</th><td>{r.value}</td></tr>)}</tbody>
      </AsTable>
    </figure>
  );
}
