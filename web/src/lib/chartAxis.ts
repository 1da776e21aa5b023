/** The price charts' time-axis labels, in local time (the chart's times are UTC seconds). */
const hm = new Intl.DateTimeFormat([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const hms = new Intl.DateTimeFormat([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const day = new Intl.DateTimeFormat([], { day: "numeric", month: "short" });

/**
 * A time-axis label in local time, as fine as the mark it labels: seconds for a mark the
 * library places on a second (a short game's axis), minutes for one on a minute, the date
 * for a day. A fixed "HH:MM" format repeats the same label along a two-minute axis.
 */
export function axisLabel(time: number, markType: number): string {
  const d = new Date(time * 1000);
  // lightweight-charts' TickMarkType: 0 year, 1 month, 2 day, 3 time, 4 time with seconds.
  if (markType === 4) return hms.format(d);
  if (markType === 3) return hm.format(d);
  return day.format(d);
}

/** The crosshair's time label. */
export const fmtAxisCrosshair = (time: number) => hms.format(new Date(time * 1000));
