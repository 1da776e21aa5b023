/** The browser tab's title per page: a room full of tabs needs to tell markets and roles apart. */
import { createEffect, onCleanup } from "solid-js";
import { t } from "../i18n";

const APP = t("app.name");

/** "DEMO · Trade · MarketFlow" from ["DEMO", "Trade"]; empty parts are left out. */
export function titleOf(parts: (string | null | undefined)[]): string {
  return [...parts.filter((p): p is string => !!p), APP].join(" · ");
}

/** Keeps document.title in step with the page while it is shown. */
export function usePageTitle(parts: () => (string | null | undefined)[]): void {
  createEffect(() => {
    document.title = titleOf(parts());
  });
  onCleanup(() => {
    document.title = APP;
  });
}
