import { describe, expect, it } from "vitest";
import { ApiError } from "../../../web/src/lib/api";
import { createMarketBody, fieldErrorsOf, moneyFormatOf } from "../../../web/src/lib/marketForm";
import { rulesText } from "../../../web/src/lib/rulesForm";

const refused = new ApiError("VALIDATION", "bad", 400, [
  { field: "startingCash", message: "Too small" },
  { field: "symbols.0.price", message: "Too small" },
]);

describe("the create form's money in the market's currency", () => {
  it("says the smallest amount in dollars by default and in the chosen currency otherwise", () => {
    expect(fieldErrorsOf(refused).startingCash).toBe("Starting cash must be more than $0, with at most 2 decimals.");
    const inr = fieldErrorsOf(refused, moneyFormatOf("INR:en-IN"));
    expect(inr.startingCash).toBe("Starting cash must be more than ₹0, with at most 2 decimals.");
    expect(inr["symbols.0.price"]).toBe("A price above ₹0, with at most 2 decimals.");
  });

  it("sends the chosen currency with the rules of the rules form, not instead of them", () => {
    const body = createMarketBody({
      name: "Diwali cup",
      code: "",
      cash: "100000",
      tickSeconds: "2",
      rows: [{ symbol: "TATA", name: "Tata", price: "100", volatility: "", liquidity: "", sector: "" }],
      rules: { ...rulesText(), allowShort: "on" },
      script: [],
      moneyFormat: "INR:en-IN",
    });
    expect(body.rules).toMatchObject({ allowShort: true, currency: "INR", locale: "en-IN" });
  });
});
