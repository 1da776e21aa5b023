import { describe, expect, it } from "vitest";
import { applyControl, createMarket } from "../../../worker/market/engine";
import { actionsFrom } from "../../../worker/shared/lifecycle";
import type { ControlAction, MarketStatus } from "../../../worker/shared/protocol";
import { config } from "../../support/engine";

const STATUSES: MarketStatus[] = ["lobby", "open", "paused", "closed"];
const ACTIONS: ControlAction[] = ["open", "pause", "resume", "close"];

describe("the lifecycle buttons the console offers", () => {
  it("offers exactly the actions the engine accepts, from every status", () => {
    for (const status of STATUSES) {
      for (const action of ACTIONS) {
        const state = createMarket(config(), 0);
        state.status = status;
        const accepted = applyControl(state, action, 1).ok;
        expect(actionsFrom(status).includes(action), `${action} from ${status}`).toBe(accepted);
      }
    }
  });

  it("lists them in the console's order, and nothing once closed", () => {
    expect(actionsFrom("lobby")).toEqual(["open", "close"]);
    expect(actionsFrom("open")).toEqual(["pause", "close"]);
    expect(actionsFrom("paused")).toEqual(["resume", "close"]);
    expect(actionsFrom("closed")).toEqual([]);
  });
});
