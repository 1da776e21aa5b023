/** One market's control room: lifecycle, stocks and halts, players, rules, the join link, news and the news script. */
import { Show, createEffect, createResource, createSignal, on, onCleanup } from "solid-js";
import { ConnBadge } from "../../components/ConnBadge";
import { JoinLink } from "../../components/admin/JoinLink";
import { Lifecycle } from "../../components/admin/Lifecycle";
import { MarketSettings } from "../../components/admin/MarketSettings";
import { ModerationPanel } from "../../components/admin/ModerationPanel";
import { NewsComposer } from "../../components/admin/NewsComposer";
import { NewsScript } from "../../components/admin/NewsScript";
import { PlayersTable } from "../../components/admin/PlayersTable";
import { SessionCard } from "../../components/admin/SessionCard";
import { StocksTable } from "../../components/admin/StocksTable";
import { TeamsPanel } from "../../components/admin/TeamsFields";
import { adminApi } from "../../lib/api";
import { createFeed } from "../../lib/feed";
import { usePageTitle } from "../../lib/title";
import { t } from "../../i18n";

/** The players table is not on the feed: it is polled. */
const PLAYERS_POLL_MS = 5000;

export function MarketRoom(props: { code: string; token: string }) {
  const feed = createFeed(props.code);
  onCleanup(() => feed.close());
  const m = () => feed.state.market;
  const closed = () => m()?.status === "closed";
  usePageTitle(() => [props.code, "Console"]);

  // The organiser's view of the market carries its rules (halt band for the news preview).
  const [info, { mutate: setInfo, refetch: refetchInfo }] = createResource(() =>
    adminApi.market(props.token, props.code),
  );
  // The rules panel follows the market's status (what may change depends on it).
  createEffect(
    on(
      () => m()?.status,
      (s, prev) => s !== prev && prev !== undefined && void refetchInfo(),
    ),
  );
  const [players, { refetch: refetchPlayers }] = createResource(() => adminApi.players(props.token, props.code));
  const [moderated, setModerated] = createSignal(0);
  const poll = setInterval(() => void refetchPlayers(), PLAYERS_POLL_MS);
  onCleanup(() => clearInterval(poll));

  return (
    <main class="page console">
      <div class="section-head">
        <h1>
          {m()?.name ?? props.code} <span class="mono muted">{props.code}</span>
        </h1>
        <ConnBadge feed={feed} />
      </div>
      <Show when={feed.state.fatal === "not_found"}>
        <p class="error" role="alert">
          {t("admin.room.noMarket", { code: props.code })}
        </p>
      </Show>
      <div class="console-grid">
        <div class="console-col">
          <Lifecycle code={props.code} token={props.token} status={m()?.status} />
          <SessionCard code={props.code} token={props.token} market={m() ?? null} />
          <StocksTable code={props.code} token={props.token} symbols={feed.state.symbols} closed={closed()} />
          <PlayersTable
            code={props.code}
            token={props.token}
            players={players()}
            error={players.error}
            onChanged={() => {
              void refetchPlayers();
              setModerated((v) => v + 1);
            }}
          />
          <ModerationPanel code={props.code} token={props.token} version={moderated()} />
          <MarketSettings code={props.code} token={props.token} market={info()} onSaved={(x) => setInfo(x)} />
        </div>
        <div class="console-col">
          <JoinLink code={props.code} />
          <TeamsPanel code={props.code} token={props.token} market={m()} status={m()?.status} />
          <NewsComposer code={props.code} token={props.token} feed={feed} rules={info()?.rules} />
          <NewsScript code={props.code} token={props.token} feed={feed} />
        </div>
      </div>
    </main>
  );
}
