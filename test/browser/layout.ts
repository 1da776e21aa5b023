/**
 * The projector's layout check, run in the page: every visible element's box inside the
 * viewport (the scrolling ticker's lane is checked as its container, which is what shows)
 * and inside its own panel, no text wider than its box, and each leader's name the topmost
 * thing at its own spot (no overlay hides the standings).
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";

export interface LayoutReport {
  viewport: { width: number; height: number };
  /** Elements whose box runs past the viewport. */
  outside: string[];
  /**
   * Elements that run out of their panel (the nearest section, header or footer), or whose
   * text runs out of their own box: both are inside the viewport, and still overlap the
   * panel beside them, as a lobby's market code once ran into the standings.
   */
  spilled: string[];
  /** Leader names something else is drawn over. */
  covered: string[];
  /** How many leader names were checked (a check of none proves nothing). */
  leaders: number;
}

export function checkLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${Array.from(el.classList).join(".")}` : ""}`;
    const outside: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const marquee = el.closest("[data-marquee]");
      if (marquee && marquee !== el) continue;
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden" || Number(cs.opacity) === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Screen-reader-only text is a 1px clipped box by design.
      if (cs.position === "absolute" && r.width <= 1 && r.height <= 1) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
        outside.push(
          `${name(el)} [${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)}]`,
        );
    }
    const spilled: string[] = [];
    const box = (r: DOMRect) =>
      `[${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)}]`;
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      if (el.closest("[data-marquee]")) continue;
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden" || Number(cs.opacity) === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const panel = el.parentElement?.closest("section, header, footer");
      if (panel) {
        const p = panel.getBoundingClientRect();
        if (r.left < p.left - 0.5 || r.top < p.top - 0.5 || r.right > p.right + 0.5 || r.bottom > p.bottom + 0.5)
          spilled.push(`${name(el)} ${box(r)} out of ${name(panel)} ${box(p)}`);
      }
      // Text wider than its own box, where the box does not clip it on purpose (an ellipsis).
      if (cs.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        spilled.push(`${name(el)}: its text is ${el.scrollWidth}px in a ${el.clientWidth}px box`);
    }
    const covered: string[] = [];
    const names = document.querySelectorAll('[data-testid="screen-leaders"] .sc-lname');
    for (const n of Array.from(names)) {
      const r = n.getBoundingClientRect();
      for (const [x, y] of [
        [r.left + 2, r.top + r.height / 2],
        [r.left + r.width / 2, r.top + r.height / 2],
      ]) {
        const hit = document.elementFromPoint(x, y);
        if (!hit || !(hit === n || n.contains(hit))) {
          covered.push(`${n.textContent} under ${hit ? name(hit) : "nothing"}`);
          break;
        }
      }
    }
    return { viewport: { width: vw, height: vh }, outside, spilled, covered, leaders: names.length };
  });
}

/** The four projector sizes of the issue: a small beamer, a laptop, full HD, 4K. */
export const PROJECTOR_SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;

/**
 * The projector at each of the four sizes: nothing past the edges or out of its panel,
 * nothing over the standings, one row per slot, measured once the rows have stopped
 * sliding (the ticker's endless scroll is not waited for). `atSize` runs after each check,
 * for a screenshot or a check of the caller's own.
 */
export async function expectProjectorFitsEverySize(
  screen: Page,
  state: string,
  atSize?: (size: (typeof PROJECTOR_SIZES)[number]) => Promise<void>,
): Promise<void> {
  for (const size of PROJECTOR_SIZES) {
    const at = `${state} at ${size.width}x${size.height}`;
    await screen.setViewportSize(size);
    await screen.waitForFunction(
      ([w]) => document.documentElement.clientWidth === w && !!document.querySelector('[data-testid="screen"]'),
      [size.width],
    );
    await screen.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screen.waitForFunction(() =>
      document
        .getAnimations()
        .every(
          (a) =>
            a.playState !== "running" ||
            !(a.effect as KeyframeEffect | null)?.target?.closest?.("[data-testid=screen-leaders]"),
        ),
    );
    const slots = await screen
      .locator('[data-testid="screen-leaders"] [data-slot]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-slot")));
    expect(new Set(slots).size, `${at}: one row per slot (${slots})`).toBe(slots.length);
    const report = await checkLayout(screen);
    expect(report.outside, at).toEqual([]);
    expect(report.spilled, at).toEqual([]);
    expect(report.covered, at).toEqual([]);
    expect(report.leaders, `${at}: leaders shown`).toBeGreaterThan(0);
    await atSize?.(size);
  }
}
