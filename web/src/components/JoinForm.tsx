import { useNavigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { api, plainError } from "../lib/api";
import { getPlayer, normaliseCode, rememberCode, savePlayer } from "../lib/session";
import { FormError } from "./FormError";

/** Code + nickname. Keeps the token so a reload resumes the same player. */
export function JoinForm(props: { initialCode?: string; autofocusName?: boolean }) {
  const navigate = useNavigate();
  const [code, setCode] = createSignal(normaliseCode(props.initialCode ?? ""));
  const [name, setName] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  const existing = () => (code().length >= 4 ? getPlayer(code()) : null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const c = normaliseCode(code());
    if (!/^[A-Z0-9]{4,12}$/.test(c)) return setError("The market code has 4 to 12 letters or digits.");
    const n = name().trim();
    if (!n) return setError("Pick a nickname (up to 24 characters).");
    setBusy(true);
    setError("");
    try {
      const res = await api<{ token: string; player: { id: string; name: string } }>(`/api/markets/${c}/join`, {
        method: "POST",
        body: { name: n },
      });
      savePlayer({ code: c, token: res.token, playerId: res.player.id, name: res.player.name });
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
      <Show when={existing()}>
        {(s) => (
          <p class="resume">
            You already play here as <strong>{s().name}</strong>.{" "}
            <a class="btn btn-primary" href={`/play/${s().code}`}>
              Continue as {s().name}
            </a>
          </p>
        )}
      </Show>
      <label class="field">
        <span>Market code</span>
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
      <label class="field">
        <span>Nickname</span>
        <input
          name="name"
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          autocomplete="nickname"
          maxlength={24}
          required
          autofocus={props.autofocusName}
        />
      </label>
      <FormError message={error()} />
      <button class="btn btn-primary btn-big" type="submit" disabled={busy()}>
        {busy() ? "Joining…" : "Join the market"}
      </button>
    </form>
  );
}
