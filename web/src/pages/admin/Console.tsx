/** The organiser console (lazy-loaded): sign in, then the markets list or one market's room. */
import { A, useParams } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { FormError } from "../../components/FormError";
import { adminApi, plainError } from "../../lib/api";
import { forgetAdminToken, getAdminToken, saveAdminToken } from "../../lib/session";
import { usePageTitle } from "../../lib/title";
import { MarketList } from "./MarketList";
import { MarketRoom } from "./MarketRoom";
import { t } from "../../i18n";

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
        <A href="/admin" class="brand" aria-label={t("admin.console.home")}>
          <span class="logo" aria-hidden="true">
            ◢
          </span>{" "}
          {t("app.name")} <span class="muted">{t("admin.console.organiser")}</span>
        </A>
        <Show when={token()}>
          <button type="button" class="btn btn-small" onClick={signOut}>
            {t("admin.console.signOut")}
          </button>
        </Show>
      </header>
      <Show when={token()} fallback={<TokenGate onToken={setToken} />}>
        {(adminToken) => (
          <Show when={code()} fallback={<MarketList token={adminToken()} onUnauthorized={signOut} />} keyed>
            {(c) => <MarketRoom code={c} token={adminToken()} />}
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
  usePageTitle(() => [t("admin.console.signIn"), t("admin.console.title")]);
  async function submit(e: Event) {
    e.preventDefault();
    const token = value().trim();
    if (!token) return setError(t("admin.console.noToken"));
    setBusy(true);
    setError("");
    try {
      await adminApi.listMarkets(token);
      saveAdminToken(token);
      props.onToken(token);
    } catch (err) {
      setError(plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="page narrow">
      <h1>{t("admin.console.signInHeading")}</h1>
      <form class="card" onSubmit={submit}>
        <label class="field">
          <span>{t("admin.console.token")}</span>
          <input
            type="password"
            name="token"
            autocomplete="current-password"
            value={value()}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        </label>
        <p class="muted">{t("admin.console.tokenKept")}</p>
        <FormError message={error()} />
        <button class="btn btn-primary btn-big" type="submit" disabled={busy()}>
          {busy() ? t("admin.console.checking") : t("admin.console.signIn")}
        </button>
      </form>
    </main>
  );
}
