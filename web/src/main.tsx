import { Route, Router } from "@solidjs/router";
import { lazy } from "solid-js";
import { render } from "solid-js/web";
import { Toasts } from "./components/Toasts";
import { Landing } from "./pages/Landing";
import { JoinPage } from "./pages/Join";
import { NotFound } from "./pages/NotFound";
// One sheet per screen, in cascade order (later sheets may override earlier ones).
import "./styles/base.css";
import "./styles/feedback.css";
import "./styles/player.css";
import "./styles/console.css";
import "./styles/projector.css";
import "./styles/results.css";

// The player's path (landing, join, play) is in the first chunk or loaded right after;
// the organiser console and the projector are separate chunks that players never fetch.
const Play = lazy(() => import("./pages/Play"));
const Admin = lazy(() => import("./pages/admin/Console"));
const Screen = lazy(() => import("./pages/Screen"));

render(
  () => (
    <>
      <Router>
        <Route path="/" component={Landing} />
        <Route path="/join/:code?" component={JoinPage} />
        <Route path="/play/:code" component={Play} />
        <Route path="/admin/:code?" component={Admin} />
        <Route path="/screen/:code" component={Screen} />
        <Route path="*" component={NotFound} />
      </Router>
      <Toasts />
    </>
  ),
  document.getElementById("app")!,
);
