import { A } from "@solidjs/router";

export function NotFound() {
  return (
    <main class="page narrow">
      <h1>Page not found</h1>
      <p>
        <A href="/">Go to the start page</A>
      </p>
    </main>
  );
}
