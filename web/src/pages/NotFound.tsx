import { A } from "@solidjs/router";
import { usePageTitle } from "../lib/title";

export function NotFound() {
  usePageTitle(() => ["Page not found"]);
  return (
    <main class="page narrow">
      <h1>Page not found</h1>
      <p>
        <A href="/">Go to the start page</A>
      </p>
    </main>
  );
}
