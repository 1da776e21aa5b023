import { createMemo } from "solid-js";

/** A fixed-size trend line: the box never changes size, so ticks cause no layout shift. */
export function Sparkline(props: { points: number[] | undefined; width?: number; height?: number }) {
  const w = () => props.width ?? 72;
  const h = () => props.height ?? 28;
  const path = createMemo(() => {
    const pts = props.points ?? [];
    if (pts.length < 2) return { d: `M0 ${h() / 2} L${w()} ${h() / 2}`, dir: "flat" };
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of pts) {
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
    const span = hi - lo || 1;
    const step = w() / (pts.length - 1);
    const d = pts
      .map((p, i) => `${i ? "L" : "M"}${(i * step).toFixed(1)} ${(h() - 2 - ((p - lo) / span) * (h() - 4)).toFixed(1)}`)
      .join(" ");
    const last = pts[pts.length - 1];
    const first = pts[0];
    return { d, dir: last > first ? "up" : last < first ? "down" : "flat" };
  });
  return (
    <svg class={`spark ${path().dir}`} width={w()} height={h()} viewBox={`0 0 ${w()} ${h()}`} aria-hidden="true">
      <path
        d={path().d}
        fill="none"
        stroke="currentColor"
        stroke-width="1.75"
        stroke-linejoin="round"
        stroke-linecap="round"
      />
    </svg>
  );
}
