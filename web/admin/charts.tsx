/** Small SVG charts: each is an image with a text alternative, and its numbers are also printed beside it. */
export const COLOURS = { published: "#2e7d4f", pending: "#b26a00", rejected: "#b3261e", removed: "#6b6b6b" } as const;
type Status = keyof typeof COLOURS;

export function HourBars(props: { hours: ({ at: string } & Record<Status, number>)[]; label: string }) {
  const width = 720;
  const height = 160;
  const max = Math.max(1, ...props.hours.map((h) => h.published + h.pending + h.rejected + h.removed));
  const bar = width / props.hours.length;
  return (
    <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={props.label} class="chart">
      {props.hours.map((h, i) => {
        let y = height;
        return (
          <g key={h.at}>
            {(["published", "pending", "rejected", "removed"] as Status[]).map((s) => {
              const size = (h[s] / max) * (height - 10);
              y -= size;
              return size > 0 ? <rect key={s} x={i * bar + 0.5} y={y} width={Math.max(1, bar - 1)} height={size} fill={COLOURS[s]} /> : null;
            })}
            {i % Math.ceil(props.hours.length / 8) === 0 && (
              <text x={i * bar} y={height + 14} class="tick">
                {new Date(h.at).toLocaleString([], props.hours.length > 24 ? { weekday: "short", hour: "2-digit" } : { hour: "2-digit", minute: "2-digit" })}
              </text>
            )}
          </g>
        );
      })}
      <text x={2} y={10} class="tick">{max} per hour</text>
    </svg>
  );
}

/** One bar split by share, with a legend that carries the numbers. */
export function ShareBar(props: { shares: Record<Status, number> }) {
  const total = Math.max(1, Object.values(props.shares).reduce((a, b) => a + b, 0));
  let x = 0;
  const entries = Object.entries(props.shares) as [Status, number][];
  const pct = (n: number) => `${Math.round((n / total) * 100)}%`;
  return (
    <figure>
      <svg viewBox="0 0 400 24" role="img" aria-label={entries.map(([s, n]) => `${s} ${pct(n)}`).join(", ")} class="chart">
        {entries.map(([s, n]) => {
          const w = (n / total) * 400;
          const rect = <rect key={s} x={x} y={0} width={w} height={24} fill={COLOURS[s]} />;
          x += w;
          return rect;
        })}
      </svg>
      <figcaption class="legend">
        {entries.map(([s, n]) => (
          <span key={s}><i class={`swatch ${s}`} aria-hidden="true" /> {s} {n} ({pct(n)})</span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars for ranked lists (hold reasons, queue age bands). */
export function RankBars(props: { rows: { label: string; value: number }[]; label: string }) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  const rowHeight = 22;
  return (
    <svg viewBox={`0 0 400 ${Math.max(1, props.rows.length) * rowHeight}`} role="img" aria-label={props.label} class="chart">
      {props.rows.map((r, i) => (
        <g key={r.label}>
          <text x={0} y={i * rowHeight + 15} class="tick">{r.label}</text>
          <rect x={170} y={i * rowHeight + 4} width={(r.value / max) * 190} height={14} fill="#3d5a98" />
          <text x={175 + (r.value / max) * 190} y={i * rowHeight + 15} class="tick">{r.value}</text>
        </g>
      ))}
    </svg>
  );
}
