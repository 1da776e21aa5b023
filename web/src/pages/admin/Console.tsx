/** The organiser console (lazy-loaded): sign in, then the markets list or one market's room. */
import { A, useParams } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { FormError } from "../../components/FormError";
import { adminApi, plainError } from "../../lib/api";
import { forgetAdminToken, getAdminToken, saveAdminToken } from "../../lib/session";
import { usePageTitle } from "../../lib/title";
import { MarketList } from "./MarketList";
import { MarketRoom } from "./MarketRoom";

export default function Console() {
  const [token, setToken] = createSignal(getAdminToken());
  const params = useParams();
  const code = () => params.code?.toUpperCase();
  const signOut = () => {
    forgetAdminToken();
    setToken(null);
  };
  return (
    <div class="admin">
      <header class="admin-bar">
        <A href="/admin" class="brand" aria-label="MarketFlow organiser console, home">
          <span class="logo" aria-hidden="true">
            ◢
          </span>{" "}
          MarketFlow <span class="muted">organiser</span>
        </A>
        <Show when={token()}>
          <button type="button" class="btn btn-small" onClick={signOut}>
            Sign out
          </button>
        </Show>
      </header>
      <Show when={token()} fallback={<TokenGate onToken={setToken} />}>
        {(t) => (
          <Show when={code()} fallback={<MarketList token={t()} onUnauthorized={signOut} />} keyed>
            {(c) => <MarketRoom code={c} token={t()} />}
          </Show>
        )}
      </Show>
    </div>
  );
}

function TokenGate(props: { onToken: (t: string) => void }) {
  const [value, setValue] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  usePageTitle(() => ["Sign in", "Console"]);
  async function submit(e: Event) {
    e.preventDefault();
    const t = value().trim();
    if (!t) return setError("Enter the organiser token.");
    setBusy(true);
    setError("");
    try {
      await adminApi.listMarkets(t);
      saveAdminToken(t);
      props.onToken(t);
    } catch (err) {
      setError(plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="page narrow">
      <h1>Organiser sign-in</h1>
      <form class="card" onSubmit={submit}>
        <label class="field">
          <span>Organiser token</span>
          <input
            type="password"
            name="token"
            autocomplete="current-password"
            value={value()}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        </label>
        <p class="muted">It stays in this browser only, so you enter it once.</p>
        <FormError message={error()} />
        <button class="btn btn-primary btn-big" type="submit" disabled={busy()}>
          {busy() ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
