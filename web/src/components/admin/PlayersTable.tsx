/** Everyone in the market, ranked, with the CSV exports of standings and fills. */
import { For, Show } from "solid-js";
import type { PlayerSummary } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { downloadWithToken } from "../../lib/download";
import { fmtMoney } from "../../lib/format";
import { toast } from "../Toasts";

export function PlayersTable(props: {
  code: string;
  token: string;
  players: PlayerSummary[] | undefined;
  error: unknown;
}) {
  async function exportCsv(kind: "fills" | "standings") {
    try {
      await downloadWithToken(adminApi.exportPath(props.code, kind), props.token, `${props.code}-${kind}.csv`);
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }
  const ranked = () => [...(props.players ?? [])].sort((a, b) => a.rank - b.rank);
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
                <th scope="col" class="r">
                  Cash
                </th>
                <th scope="col" class="r">
                  Net worth
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={ranked()}>
                {(p) => (
                  <tr>
                    <td class="r num">{p.rank}</td>
                    <th scope="row">{p.name}</th>
                    <td class="r num">{fmtMoney(p.cash)}</td>
                    <td class="r num">{fmtMoney(p.netWorth)}</td>
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
