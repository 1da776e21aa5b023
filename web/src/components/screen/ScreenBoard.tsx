/**
 * The projector's standings: rows keyed by name, so a rank change slides the row to its new
 * slot instead of redrawing it. A row's slot is its place in the list the server sent (best
 * first), never its rank number, so two players level on rank still get a slot each.
 */
import { For, Show, createMemo } from "solid-js";
import { createStore } from "solid-js/store";
import type { Leader } from "../../../../worker/shared/messages";
import { now } from "../../lib/feed";
import { fmtMoney0, fmtReturn, trendPct } from "../../lib/format";

/** How long a row shows its ▲/▼ after a move. */
const MOVE_SHOWN_MS = 8000;

export function ScreenBoard(props: { leaders: Leader[]; size: number }) {
  const [moves, setMoves] = createStore<Record<string, { delta: number; at: number }>>({});
  let lastRank = new Map<string, number>();
  const top = createMemo(() => {
    const list = props.leaders.slice(0, props.size);
    const next = new Map<string, number>();
    for (const l of list) {
      const prev = lastRank.get(l.name);
      if (prev !== undefined && prev !== l.rank) setMoves(l.name, { delta: prev - l.rank, at: Date.now() });
      next.set(l.name, l.rank);
    }
    lastRank = next;
    return list;
  });
  const slotOf = createMemo(() => new Map(top().map((l, i) => [l.name, i])));
  const byName = createMemo(() => new Map(top().map((l) => [l.name, l])));
  // Sorted names keep each row's element while its slot changes (the transition animates it).
  const names = createMemo(() =>
    top()
      .map((l) => l.name)
      .sort(),
  );

  return (
    <ol class="sc-leaders" style={{ height: `calc(${props.size} * var(--row))` }} data-testid="screen-leaders">
      <For each={names()}>
        {(name) => {
          const row = () => byName().get(name);
          const move = () => moves[name];
          return (
            <li
              class="sc-row"
              style={{ transform: `translateY(calc(${slotOf().get(name) ?? 0} * var(--row)))` }}
              data-rank={row()?.rank}
              data-slot={slotOf().get(name)}
            >
              <span class="sc-rank num">{row()?.rank}</span>
              <span class="sc-lname">{name}</span>
              <span class="sc-move" aria-hidden="true">
                <Show when={move() && move()!.delta !== 0 && now() - move()!.at < MOVE_SHOWN_MS}>
                  <span class={move()!.delta > 0 ? "up" : "down"}>
                    {move()!.delta > 0 ? "▲" : "▼"}
                    {Math.abs(move()!.delta)}
                  </span>
                </Show>
              </span>
              <span class="sc-nw num">{fmtMoney0(row()?.netWorth ?? 0)}</span>
              <span class={`sc-ret num ${trendPct(row()?.returnPct ?? 0)}`}>{fmtReturn(row()?.returnPct ?? 0)}</span>
            </li>
          );
        }}
      </For>
    </ol>
  );
}
