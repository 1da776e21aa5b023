/**
 * The price chart of one stock (TradingView lightweight-charts), line or candles,
 * history from the candles endpoint and one update per tick from the feed.
 * The library is imported on demand, so screens without a chart never download it.
 */
import { createEffect, on, onCleanup, onMount } from "solid-js";
import type { IChartApi, ISeriesApi, UTCTimestamp } from "lightweight-charts";
import type { Candle } from "../../../worker/shared/messages";
import { api } from "../lib/api";
import type { Feed } from "../lib/feed";
import { axisLabel, fmtAxisCrosshair } from "../lib/chartAxis";
import { fmtPrice } from "../lib/format";

export type ChartMode = "line" | "candles";
type Bar = { time: UTCTimestamp; open: number; high: number; low: number; close: number };

/** The chart's times are true UTC seconds; the labels are formatted in local time (axisLabel). */
const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
const HISTORY_MS = 30 * 60_000;

export function PriceChart(props: {
  code: string;
  symbol: string;
  feed: Feed;
  mode: ChartMode;
  height: number;
  big?: boolean;
}) {
  let el!: HTMLDivElement;
  let chart: IChartApi | undefined;
  let series: ISeriesApi<"Line"> | ISeriesApi<"Candlestick"> | undefined;
  let lib: typeof import("lightweight-charts") | undefined;
  let lastBar: Bar | undefined;
  let lastLineTime = 0;
  let loadNo = 0;
  let disposed = false;

  // The projector's axis labels grow with the screen (from 1280x720 to 4K) so the back row reads them.
  const fontSize = () => (props.big ? Math.max(14, Math.round(window.innerHeight / 48)) : 12);
  const onResize = () => chart?.applyOptions({ layout: { fontSize: fontSize() } });
  if (props.big) window.addEventListener("resize", onResize);
  onCleanup(() => window.removeEventListener("resize", onResize));
  // The last tick's stamp is the server's time; this device's clock may be off.
  const serverNow = () => Math.max(props.feed.state.lastTickAt, 0) || Date.now();
  const bucketSec = () => Math.max(10, Math.round((5 * (props.feed.state.market?.tickMs ?? 2000)) / 1000));

  async function load() {
    const my = ++loadNo;
    if (!lib || !chart) return;
    if (series) chart.removeSeries(series);
    series = undefined;
    lastBar = undefined;
    lastLineTime = 0;
    let candles: Candle[] = [];
    try {
      const from = serverNow() - HISTORY_MS;
      const res = await api<{ candles: Candle[] }>(
        `/api/markets/${props.code}/candles/${props.symbol}?interval=tick&from=${from}`,
      );
      candles = res.candles ?? [];
    } catch {
      candles = []; // the live ticks still draw the chart
    }
    if (my !== loadNo || disposed || !chart) return;
    candles.sort((a, b) => a.t - b.t);
    if (props.mode === "line") {
      const s = chart.addSeries(lib.AreaSeries, {
        lineColor: "#60a5fa",
        topColor: "rgba(96,165,250,0.35)",
        bottomColor: "rgba(96,165,250,0.02)",
        lineWidth: props.big ? 3 : 2,
        priceLineVisible: true,
        lastValueVisible: true,
      });
      const pts: { time: UTCTimestamp; value: number }[] = [];
      for (const c of candles) {
        const time = toTime(c.t);
        if (pts.length && pts[pts.length - 1].time >= time)
          pts[pts.length - 1] = { time: pts[pts.length - 1].time, value: c.c };
        else pts.push({ time, value: c.c });
      }
      const q = props.feed.quote(props.symbol);
      if (q && (!pts.length || pts[pts.length - 1].time < toTime(serverNow())))
        pts.push({ time: toTime(serverNow()), value: q.price });
      s.setData(pts);
      points = pts.length;
      lastLineTime = pts.length ? pts[pts.length - 1].time : 0;
      series = s as unknown as ISeriesApi<"Line">;
    } else {
      const s = chart.addSeries(lib.CandlestickSeries, {
        upColor: "#34d399",
        downColor: "#f87171",
        borderVisible: false,
        wickUpColor: "#34d399",
        wickDownColor: "#f87171",
      });
      const bars: Bar[] = [];
      const b = bucketSec();
      for (const c of candles) {
        const time = (Math.floor(toTime(c.t) / b) * b) as UTCTimestamp;
        const cur = bars[bars.length - 1];
        if (cur && cur.time === time) {
          cur.high = Math.max(cur.high, c.h);
          cur.low = Math.min(cur.low, c.l);
          cur.close = c.c;
        } else if (!cur || cur.time < time) bars.push({ time, open: c.o, high: c.h, low: c.l, close: c.c });
      }
      s.setData(bars);
      points = bars.length;
      lastBar = bars[bars.length - 1];
      series = s;
    }
    fit();
  }

  // Early in a game there are few points: spread them over the width instead of a thin
  // strip at the right edge. Once there are plenty, the usual scrolling takes over.
  let points = 0;
  function fit() {
    if (!chart) return;
    if (points < 150) chart.timeScale().fitContent();
    else chart.timeScale().scrollToRealTime();
  }

  function onPrice(t: number, price: number) {
    if (!series) return;
    if (props.mode === "line") {
      let time = toTime(t);
      if (time < lastLineTime) time = lastLineTime as UTCTimestamp; // sub-second ticks: replace the last point
      if (time > lastLineTime || points === 0) points++;
      lastLineTime = time;
      (series as ISeriesApi<"Line">).update({ time, value: price });
      if (points < 150) chart?.timeScale().fitContent();
    } else {
      const b = bucketSec();
      const time = (Math.floor(toTime(t) / b) * b) as UTCTimestamp;
      if (lastBar && time < lastBar.time) return;
      if (lastBar && lastBar.time === time) {
        lastBar = { ...lastBar, high: Math.max(lastBar.high, price), low: Math.min(lastBar.low, price), close: price };
      } else {
        const open = lastBar?.close ?? price;
        lastBar = { time, open, high: Math.max(open, price), low: Math.min(open, price), close: price };
        points++;
        if (points < 150) chart?.timeScale().fitContent();
      }
      (series as ISeriesApi<"Candlestick">).update(lastBar);
    }
  }

  onMount(async () => {
    lib = await import("lightweight-charts");
    if (disposed) return;
    chart = lib.createChart(el, {
      autoSize: true,
      layout: {
        background: { type: lib.ColorType.Solid, color: "transparent" },
        textColor: "#cbd5e1",
        fontSize: fontSize(),
      },
      grid: { vertLines: { color: "rgba(148,163,184,0.08)" }, horzLines: { color: "rgba(148,163,184,0.12)" } },
      rightPriceScale: { borderVisible: false },
      timeScale: {
        borderVisible: false,
        timeVisible: true,
        secondsVisible: true,
        tickMarkFormatter: (time: UTCTimestamp, markType: number) => axisLabel(time, markType),
      },
      crosshair: { mode: lib.CrosshairMode.Magnet },
      // The crosshair's time in the room's clock; the price axis speaks the market's number
      // format too (1.234,56 in de-DE).
      localization: {
        timeFormatter: (time: UTCTimestamp) => fmtAxisCrosshair(time),
        priceFormatter: (price: number) => fmtPrice(price),
      },
      // Vertical swipes must scroll the page on phones, not pan the chart.
      handleScroll: { vertTouchDrag: false },
    });
    await load();
  });

  createEffect(on([() => props.symbol, () => props.mode], () => void load(), { defer: true }));

  const offTick = props.feed.on("tick", (msg) => {
    const p = msg.prices.find((x) => x.symbol === props.symbol);
    if (p) onPrice(msg.t, p.price);
  });
  // After a resync the feed may have missed ticks: refill the history.
  const offSnap = props.feed.on("snapshot", () => {
    if (props.feed.state.snapshots > 1) void load();
  });

  onCleanup(() => {
    disposed = true;
    offTick();
    offSnap();
    chart?.remove();
    chart = undefined;
  });

  const label = () => {
    const q = props.feed.quote(props.symbol);
    return `${props.mode === "line" ? "Line" : "Candlestick"} chart of ${props.symbol}${q ? `, last ${fmtPrice(q.price)}` : ""}`;
  };
  return (
    <div
      class="chart"
      ref={el}
      role="img"
      aria-label={label()}
      style={{ height: props.height ? `${props.height}px` : "100%" }}
    />
  );
}
