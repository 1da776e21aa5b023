import { Show } from "solid-js";
import type { Feed } from "../lib/feed";
import { now } from "../lib/feed";

const LABEL = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
  stopped: "Disconnected",
} as const;

/** Live / reconnecting / offline, always visible, with a way to retry at once. */
export function ConnBadge(props: { feed: Feed }) {
  const s = () => props.feed.state;
  const left = () => (s().retryAt ? Math.max(0, Math.ceil((s().retryAt! - now()) / 1000)) : null);
  return (
    <div class={`conn conn-${s().conn}`} data-conn={s().conn} data-seq={s().seq} data-snapshots={s().snapshots}>
      <span class="dot" aria-hidden="true" />
      {/* Only the state is announced, not the retry countdown every second. */}
      <span class="conn-label" role="status">
        <span class="visually-hidden">Connection: </span>
        {LABEL[s().conn]}
      </span>
      <Show when={s().conn === "reconnecting" || s().conn === "offline"}>
        <Show when={left() !== null}>
          <span class="conn-retry"> · retry in {left()}s</span>
        </Show>
        <button type="button" class="link" onClick={() => props.feed.reconnectNow()}>
          Retry now
        </button>
      </Show>
    </div>
  );
}
