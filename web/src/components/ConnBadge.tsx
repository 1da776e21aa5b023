import { Show } from "solid-js";
import type { Feed } from "../lib/feed";
import { now } from "../lib/feed";
import { t } from "../i18n";

/** Live / reconnecting / offline, always visible, with a way to retry at once. */
export function ConnBadge(props: { feed: Feed }) {
  const s = () => props.feed.state;
  const left = () => (s().retryAt ? Math.max(0, Math.ceil((s().retryAt! - now()) / 1000)) : null);
  return (
    <div class={`conn conn-${s().conn}`} data-conn={s().conn} data-seq={s().seq} data-snapshots={s().snapshots}>
      <span class="dot" aria-hidden="true" />
      {/* Only the state is announced, not the retry countdown every second. */}
      <span class="conn-label" role="status">
        <span class="visually-hidden">{t("conn.prefix")}</span>
        {t(`conn.${s().conn}`)}
      </span>
      <Show when={s().conn === "reconnecting" || s().conn === "offline"}>
        <Show when={left() !== null}>
          <span class="conn-retry">{t("conn.retryIn", { seconds: left() ?? 0 })}</span>
        </Show>
        <button type="button" class="link" onClick={() => props.feed.reconnectNow()}>
          {t("conn.retryNow")}
        </button>
      </Show>
    </div>
  );
}
