import { A } from "@solidjs/router";
import { usePageTitle } from "../lib/title";
import { t } from "../i18n";

export function NotFound() {
  usePageTitle(() => [t("notFound.title")]);
  return (
    <main class="page narrow">
      <h1>{t("notFound.title")}</h1>
      <p>
        <A href="/">{t("notFound.home")}</A>
      </p>
    </main>
  );
}
