/** The organiser's start page: every market with its state and players, and the create form. */
import { A } from "@solidjs/router";
import { For, Show, createResource } from "solid-js";
import { adminApi, plainError } from "../../lib/api";
import { usePageTitle } from "../../lib/title";
import { CreateMarket } from "./CreateMarket";
import { t } from "../../i18n";

export function MarketList(props: { token: string; onUnauthorized: () => void }) {
  usePageTitle(() => ["Console"]);
  const [markets, { refetch }] = createResource(async () => {
    try {
      return await adminApi.listMarkets(props.token);
    } catch (e) {
      if ((e as { code?: string }).code === "UNAUTHORIZED") props.onUnauthorized();
      throw e;
    }
  });
  return (
    <main class="page">
      <section class="card" aria-labelledby="mk-h">
        <div class="section-head">
          <h1 id="mk-h">{t("admin.list.heading")}</h1>
          <button type="button" class="btn btn-small" onClick={() => refetch()}>
            {t("admin.list.refresh")}
          </button>
        </div>
        <Show when={!markets.error} fallback={<p class="error">{plainError(markets.error, "admin")}</p>}>
          <Show
            when={markets()?.length}
            fallback={<p class="muted">{markets.loading ? t("admin.list.loading") : t("admin.list.none")}</p>}
          >
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t("admin.list.code")}</th>
                    <th scope="col">{t("admin.list.name")}</th>
                    <th scope="col">{t("admin.list.status")}</th>
                    <th scope="col" class="r">
                      {t("admin.list.players")}
                    </th>
                    <th scope="col">
                      <span class="visually-hidden">{t("admin.list.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={markets()}>
                    {(m) => (
                      <tr>
                        <th scope="row" class="mono">
                          {m.code}
                        </th>
                        <td>{m.name}</td>
                        <td>
                          <span class={`pill status-${m.status}`}>{m.status}</span>
                        </td>
                        <td class="r num">{m.players ?? "–"}</td>
                        <td class="r">
                          <A
                            class="btn btn-small"
                            href={`/admin/${m.code}`}
                            aria-label={t("admin.list.runMarket", { code: m.code })}
                          >
                            {t("admin.list.run")}
                          </A>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </Show>
      </section>
      <CreateMarket token={props.token} />
    </main>
  );
}
