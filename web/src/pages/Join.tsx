import { useParams } from "@solidjs/router";
import { JoinForm } from "../components/JoinForm";
import { usePageTitle } from "../lib/title";
import { t } from "../i18n";

export function JoinPage() {
  const params = useParams();
  usePageTitle(() => [params.code?.toUpperCase(), t("join.pageTitle")]);
  return (
    <main class="page narrow">
      <p class="brand" aria-label={t("app.name")}>
        <span class="logo" aria-hidden="true">
          ◢
        </span>{" "}
        {t("app.name")}
      </p>
      <h1>
        {t("join.heading")} {params.code ? <span class="mono">{params.code.toUpperCase()}</span> : t("join.aMarket")}
      </h1>
      <JoinForm initialCode={params.code} autofocusName={!!params.code} />
    </main>
  );
}
