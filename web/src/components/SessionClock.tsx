/**
 * The timed session's clock, on phones and the projector: "Opens in 2:31" before the bell,
 * "Time left 12:04" while trading, red in the final minute, gone once the market closes.
 */
import { Show, createSignal, onCleanup } from "solid-js";
import { type Feed, now } from "../lib/feed";
import { type Countdown, fmtCountdown, sessionCountdown, skewFrom } from "../lib/sessionClock";

/** The countdown as of the server's clock (corrected by the stamps on ticks and status messages). */
export function useCountdown(feed: Feed): () => Countdown {
  const [skew, setSkew] = createSignal<number | null>(null);
  const offTick = feed.on("tick", (m) => setSkew((s) => skewFrom(s, m.t, Date.now())));
  const offStatus = feed.on("status", (m) => {
    if (m.t !== undefined) setSkew((s) => skewFrom(s, m.t!, Date.now()));
  });
  onCleanup(() => {
    offTick();
    offStatus();
  });
  return () => sessionCountdown(feed.state.market?.status, feed.state.market?.session, now() + (skew() ?? 0));
}

export function SessionClock(props: { countdown: Countdown; class?: string }) {
  return (
    <Show when={props.countdown}>
      {(c) => {
        const final = () => c().kind === "left" && (c() as { final: boolean }).final;
        return (
          <div
            class={`session-clock ${props.class ?? ""}${final() ? " final" : ""}`}
            role="timer"
            aria-live="off"
            data-testid="session-clock"
            data-kind={final() ? "final" : c().kind}
          >
            <span class="session-label">
              {c().kind === "opens" ? "Opens in" : final() ? "Final minute" : "Time left"}
            </span>
            <span class="session-time num">{fmtCountdown(c().ms)}</span>
          </div>
        );
      }}
    </Show>
  );
}
