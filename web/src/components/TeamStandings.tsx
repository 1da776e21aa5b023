/**
 * The team leaderboard: each team's average return and how many play for it. One
 * component for the phone (`variant="card"`), the projector (`"screen"`) and the results
 * screen (`BestTeam`, the winner alone).
 */
import { For, Show } from "solid-js";
import type { TeamStanding } from "../../../worker/shared/messages";
import { fmtInt, fmtReturn, trendPct } from "../lib/format";
import { t } from "../i18n";

export function TeamStandings(props: {
  teams: TeamStanding[];
  /** The viewer's own team, highlighted. */
  mine?: string | null;
  variant?: "card" | "screen";
  /** At most this many rows (the projector's space is fixed). */
  limit?: number;
}) {
  const rows = () => (props.limit ? props.teams.slice(0, props.limit) : props.teams);
  return (
    <Show when={props.teams.length}>
      <section
        class={props.variant === "screen" ? "sc-teams" : "card teams-card"}
        aria-labelledby={props.variant === "screen" ? "sc-teams-h" : "teams-h"}
        data-testid="team-standings"
      >
        <h2 id={props.variant === "screen" ? "sc-teams-h" : "teams-h"}>{t("teams.heading")}</h2>
        <ol class="team-rows">
          <For each={rows()}>
            {(row) => (
              <li class={props.mine === row.team ? "me" : ""} data-team={row.team}>
                <span class="rank num">{row.rank}</span>
                <span class="tname">{row.team}</span>
                <span class="tmembers num muted" title={t("teams.players")}>
                  {t("teams.members", row.members, fmtInt(row.members))}
                </span>
                <span class={`num ${trendPct(row.returnPct)}`}>{fmtReturn(row.returnPct)}</span>
              </li>
            )}
          </For>
        </ol>
      </section>
    </Show>
  );
}

/** The best team and its average return, for the results screen at close. */
export function BestTeam(props: { teams: TeamStanding[] }) {
  const best = () => props.teams.find((row) => row.rank === 1 && row.members > 0);
  return (
    <Show when={best()}>
      {(row) => (
        <div class="best-team" data-testid="best-team">
          <span class="muted">{t("teams.best")}</span>
          <strong class="tname">{row().team}</strong>
          <span class={`num ${trendPct(row().returnPct)}`}>{fmtReturn(row().returnPct)}</span>
          <span class="muted num">{t("teams.members", row().members, fmtInt(row().members))}</span>
        </div>
      )}
    </Show>
  );
}
