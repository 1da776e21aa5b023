import { useParams } from "@solidjs/router";
import { JoinForm } from "../components/JoinForm";
import { usePageTitle } from "../lib/title";

export function JoinPage() {
  const params = useParams();
  usePageTitle(() => [params.code?.toUpperCase(), "Join"]);
  return (
    <main class="page narrow">
      <p class="brand" aria-label="MarketFlow">
        <span class="logo" aria-hidden="true">
          ◢
        </span>{" "}
        MarketFlow
      </p>
      <h1>Join {params.code ? <span class="mono">{params.code.toUpperCase()}</span> : "a market"}</h1>
      <JoinForm initialCode={params.code} autofocusName={!!params.code} />
    </main>
  );
}
