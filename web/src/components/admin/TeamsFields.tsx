/**
 * Teams in the console: the names (one per line) and how players get one. Used by the
 * create form and, before the market opens, by the market's room (TeamsPanel).
 */
import { Show, createSignal } from "solid-js";
import type { MarketInfo, MarketStatus, TeamAssign, TeamsConfig } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { FormError } from "../FormError";
import { toast } from "../Toasts";

export const teamLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

export function TeamsFields(props: {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
  names: string;
  setNames: (text: string) => void;
  assign: TeamAssign;
  setAssign: (a: TeamAssign) => void;
  error?: string;
}) {
  return (
    <fieldset class="teams-fields">
      <legend>Teams</legend>
      <label class="check">
        <input
          type="checkbox"
          name="teamsOn"
          checked={props.enabled}
          onChange={(e) => props.setEnabled(e.currentTarget.checked)}
        />{" "}
        Play in teams (a team board beside the players' board)
      </label>
      <Show when={props.enabled}>
        <label class="field">
          <span>Team names, one per line (2-20)</span>
          <textarea
            name="teamNames"
            rows={4}
            value={props.names}
            onInput={(e) => props.setNames(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>How players get a team</span>
          <select
            name="teamAssign"
            value={props.assign}
            onChange={(e) => props.setAssign(e.currentTarget.value as TeamAssign)}
          >
            <option value="choose">They pick one when they join</option>
            <option value="auto">Assign automatically (balanced)</option>
          </select>
        </label>
      </Show>
      <FormError message={props.error} />
    </fieldset>
  );
}

/** The teams of a market in its room: editable until the bell. */
export function TeamsPanel(props: { code: string; token: string; market: MarketInfo | null; status?: MarketStatus }) {
  const teams = (): TeamsConfig | undefined => props.market?.teams;
  const [enabled, setEnabled] = createSignal<boolean | null>(null);
  const [names, setNames] = createSignal<string | null>(null);
  const [assign, setAssign] = createSignal<TeamAssign | null>(null);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const on = () => enabled() ?? !!teams();

  async function save() {
    setBusy(true);
    setError("");
    try {
      const body = on()
        ? {
            names: teamLines(names() ?? teams()?.names.join("\n") ?? ""),
            assign: assign() ?? teams()?.assign ?? "choose",
          }
        : null;
      await adminApi.setTeams(props.token, props.code, body);
      toast({ kind: "info", title: body ? `Teams saved: ${body.names.join(", ")}` : "Teams switched off" });
    } catch (e) {
      setError(plainError(e, "admin"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="teams-admin-h">
      <h2 id="teams-admin-h">Teams</h2>
      <Show
        when={props.status === "lobby"}
        fallback={
          <p class="muted">
            {teams()
              ? `Teams: ${teams()!.names.join(", ")} (${teams()!.assign === "auto" ? "assigned" : "chosen"}).`
              : "No teams."}{" "}
            Teams can be changed only before the market opens.
          </p>
        }
      >
        <TeamsFields
          enabled={on()}
          setEnabled={setEnabled}
          names={names() ?? teams()?.names.join("\n") ?? "Bulls\nBears"}
          setNames={setNames}
          assign={assign() ?? teams()?.assign ?? "choose"}
          setAssign={setAssign}
          error={error()}
        />
        <button type="button" class="btn btn-small btn-primary" disabled={busy()} onClick={save}>
          Save teams
        </button>
      </Show>
    </section>
  );
}
