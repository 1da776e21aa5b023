/** Everyone in the market, ranked, with the CSV exports of standings and fills. */
import { For, Show, createEffect } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { PlayerSummary } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { downloadWithToken } from "../../lib/download";
import { fmtMoney } from "../../lib/format";
import { toast } from "../Toasts";
import { PlayerRowActions } from "./PlayerRowActions";

export function PlayersTable(props: {
  code: string;
  token: string;
  players: PlayerSummary[] | undefined;
  error: unknown;
  /** A player was renamed or removed: read the list again. */
  onChanged: () => void;
}) {
  const hasTeams = () => (props.players ?? []).some((p) => p.team !== undefined);
  async function exportCsv(kind: "fills" | "standings") {
    try {
      await downloadWithToken(adminApi.exportPath(props.code, kind), props.token, `${props.code}-${kind}.csv`);
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }
  // Rows keep their identity across polls (reconciled by id), so a rename being typed survives a refresh.
  const [rows, setRows] = createStore<PlayerSummary[]>([]);
  createEffect(() =>
    setRows(
      reconcile(
        [...(props.players ?? [])].sort((a, b) => a.rank - b.rank),
        { key: "id" },
      ),
    ),
  );
  const ranked = () => rows;
  return (
    <section class="card" aria-labelledby="pl-h">
      <div class="section-head">
        <h2 id="pl-h">Players ({props.players?.length ?? 0})</h2>
        <div class="btn-row">
          <button type="button" class="btn btn-small" onClick={() => exportCsv("standings")}>
            Download standings CSV
          </button>
          <button type="button" class="btn btn-small" onClick={() => exportCsv("fills")}>
            Download fills CSV
          </button>
        </div>
      </div>
      <Show
        when={props.players?.length}
        fallback={
          <p class="muted">
            {props.error ? plainError(props.error, "admin") : "Nobody has joined yet. Show the QR code."}
          </p>
        }
      >
        <div class="table-wrap">
          <table class="table" aria-label="Players">
            <thead>
              <tr>
                <th scope="col" class="r">
                  Rank
                </th>
                <th scope="col">Name</th>
                <Show when={hasTeams()}>
                  <th scope="col">Team</th>
                </Show>
                <th scope="col" class="r">
                  Cash
                </th>
                <th scope="col" class="r">
                  Net worth
                </th>
                <th scope="col">Moderate</th>
              </tr>
            </thead>
            <tbody>
              <For each={ranked()}>
                {(p) => (
                  <tr data-player={p.id}>
                    <td class="r num">{p.rank}</td>
                    <th scope="row">{p.name}</th>
                    <Show when={hasTeams()}>
                      <td>{p.team ?? "–"}</td>
                    </Show>
                    <td class="r num">{fmtMoney(p.cash)}</td>
                    <td class="r num">{fmtMoney(p.netWorth)}</td>
                    <td>
                      <PlayerRowActions code={props.code} token={props.token} player={p} onChanged={props.onChanged} />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
