/**
 * Scenario files (shared/scenario.ts). The console checks a file here before it loads it
 * into the create form, so a broken file is named field by field and nothing is created;
 * creating from a scenario is the ordinary create route with the scenario's body.
 */
import { Hono } from "hono";
import { offsetOf, ScenarioFile } from "../shared/scenario";
import { requireAdmin, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { ScenarioAnswer } from "./responses";

export const scenariosRouter = new Hono<AppEnv>();

scenariosRouter.post(
  "/check",
  operation({
    operationId: "checkScenario",
    summary: "Check a scenario file",
    description:
      "Answers the scenario as the server reads it (news times as `afterOpenMs`), or 400 VALIDATION naming each field (`market.symbols.2.price`). Creates nothing.",
    tag: "markets",
    caller: "organiser",
    ok: { 200: ScenarioAnswer },
    errors: ["VALIDATION"],
  }),
  requireAdmin,
  valid("json", ScenarioFile),
  (c) => {
    const scenario = c.req.valid("json");
    const news = (scenario.news ?? []).map(({ atMinute, afterOpenMs, ...rest }) => ({
      afterOpenMs: offsetOf({ atMinute, afterOpenMs }),
      ...rest,
    }));
    return c.json({ scenario: { ...scenario, news } });
  },
);
