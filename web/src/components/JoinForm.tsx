import { useNavigate } from "@solidjs/router";
import { For, Show, createResource, createSignal } from "solid-js";
import type { MarketSnapshot, TeamsConfig } from "../../../worker/shared/messages";
import { api, plainError } from "../lib/api";
import { getPlayer, normaliseCode, rememberCode, savePlayer } from "../lib/session";
import { FormError } from "./FormError";
import { t } from "../i18n";

const CODE_OK = /^[A-Z0-9]{4,12}$/;

/**
 * Code + nickname (+ team, where players choose one). Keeps the token so a reload resumes
 * the same player. One player per browser: when this browser already plays in the
 * market, the form offers "Continue as X"; joining as someone else is a second, explicit
 * step that says the old player will be left behind.
 */
export function JoinForm(props: { initialCode?: string; autofocusName?: boolean }) {
  const navigate = useNavigate();
  const [code, setCode] = createSignal(normaliseCode(props.initialCode ?? ""));
  const [name, setName] = createSignal("");
  const [team, setTeam] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  /** The player chose "Play as someone else" for this code. */
  const [replacing, setReplacing] = createSignal<string | null>(null);
  const existing = () => (CODE_OK.test(code()) ? getPlayer(code()) : null);
  const showForm = () => !existing() || replacing() === code();
  // The market's teams, so a player can pick one (the public snapshot carries them).
  const [teams] = createResource(
    () => (CODE_OK.test(code()) ? code() : null),
    async (c): Promise<TeamsConfig | null> => {
      try {
        return (await api<MarketSnapshot>(`/api/markets/${c}`)).market.teams ?? null;
      } catch {
        return null;
      }
    },
  );
  const choosing = () => (teams()?.assign === "choose" ? teams()!.names : null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const c = normaliseCode(code());
    if (!CODE_OK.test(c)) return setError(t("join.badCode"));
    const n = name().trim();
    if (!n) return setError(t("join.noName"));
    if (choosing() && !team()) return setError(t("join.noTeam"));
    setBusy(true);
    setError("");
    try {
      const res = await api<{ token: string; player: { id: string; name: string; team?: string } }>(
        `/api/markets/${c}/join`,
        { method: "POST", body: choosing() ? { name: n, team: team() } : { name: n } },
      );
      savePlayer({
        code: c,
        token: res.token,
        playerId: res.player.id,
        name: res.player.name,
        ...(res.player.team ? { team: res.player.team } : {}),
      });
      rememberCode(c);
      navigate(`/play/${c}`);
    } catch (err) {
      setError(plainError(err, "join"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card join" onSubmit={submit} novalidate>
      <label class="field">
        <span>{t("join.codeLabel")}</span>
        <input
          name="code"
          value={code()}
          onInput={(e) => setCode(normaliseCode(e.currentTarget.value))}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          inputmode="text"
          maxlength={12}
          required
          class="code-input"
        />
      </label>
      <Show when={existing()}>
        {(s) => (
          <div class="resume" data-testid="resume">
            <p>
              {t("join.alreadyPlays", { code: s().code })} <strong>{s().name}</strong>.
            </p>
            <a class="btn btn-primary btn-big" href={`/play/${s().code}`}>
              {t("join.continueAs", { name: s().name })}
            </a>
            <Show
              when={replacing() === s().code}
              fallback={
                <button type="button" class="btn" onClick={() => setReplacing(s().code)}>
                  {t("join.someoneElse")}
                </button>
              }
            >
              <p class="warn" role="alert">
                {t("join.leavesBehind")} <strong>{s().name}</strong> {t("join.leavesBehindRest", { name: s().name })}
              </p>
            </Show>
          </div>
        )}
      </Show>
      <Show when={showForm()}>
        <label class="field">
          <span>{t("join.nickname")}</span>
          <input
            name="name"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            autocomplete="nickname"
            maxlength={24}
            required
            autofocus={props.autofocusName && !existing()}
          />
        </label>
        <Show when={choosing()}>
          {(names) => (
            <fieldset class="team-pick">
              <legend>{t("join.yourTeam")}</legend>
              <For each={names()}>
                {(option) => (
                  <label>
                    <input
                      type="radio"
                      name="team"
                      value={option}
                      checked={team() === option}
                      onChange={() => setTeam(option)}
                    />
                    {option}
                  </label>
                )}
              </For>
            </fieldset>
          )}
        </Show>
        <Show when={teams()?.assign === "auto"}>
          <p class="muted">{t("join.autoTeam")}</p>
        </Show>
        <FormError message={error()} />
        <button class={`btn btn-big ${existing() ? "btn-danger" : "btn-primary"}`} type="submit" disabled={busy()}>
          {busy() ? t("join.joining") : existing() ? t("join.asNewPlayer") : t("join.submit")}
        </button>
      </Show>
    </form>
  );
}
