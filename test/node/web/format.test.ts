import { describe, expect, it } from "vitest";
import {
  currencySymbol,
  formatCompact,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatSignedMoney,
  formatSpecOf,
  type NumberFormatSpec,
} from "../../../web/src/lib/format";

const INR: NumberFormatSpec = { currency: "INR", locale: "en-IN" };
const EUR: NumberFormatSpec = { currency: "EUR", locale: "de-DE" };
const GBP: NumberFormatSpec = { currency: "GBP", locale: "en-GB" };
const USD: NumberFormatSpec = { currency: "USD", locale: "en-US" };
/** Intl puts a no-break space between number and sign in some locales; compare with plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("money in the market's currency and number format", () => {
  it("groups rupees the Indian way (lakh, crore)", () => {
    expect(formatMoney(100000, INR)).toBe("₹1,00,000.00");
    expect(formatMoney(12345678.9, INR)).toBe("₹1,23,45,678.90");
    expect(formatPrice(250000, INR)).toBe("2,50,000.00");
    expect(formatNumber(1000000, INR)).toBe("10,00,000");
  });

  it("writes euros with a decimal comma in de-DE and pounds and dollars the English way", () => {
    expect(plain(formatMoney(1234.5, EUR))).toBe("1.234,50 €");
    expect(formatMoney(1234.5, { currency: "EUR", locale: "en-IE" })).toBe("€1,234.50");
    expect(formatMoney(1234.5, GBP)).toBe("£1,234.50");
    expect(formatMoney(1234.5, USD)).toBe("$1,234.50");
    expect(formatMoney(1234.5, USD, 0)).toBe("$1,235");
  });

  it("shows negative values and signs", () => {
    expect(formatMoney(-1234.5, USD)).toBe("-$1,234.50");
    expect(formatMoney(-100000, INR)).toBe("-₹1,00,000.00");
    expect(formatSignedMoney(12, GBP)).toBe("+£12.00");
    expect(formatSignedMoney(-3.5, USD)).toBe("\u2212$3.50");
    expect(formatSignedMoney(0, USD)).toBe("$0.00");
    expect(plain(formatSignedMoney(-3.5, EUR))).toBe("\u22123,50 €");
  });

  it("writes percentages signed, with a typographic minus, and zero without a sign", () => {
    expect(formatPercent(0.0123, USD)).toBe("+1.23%");
    expect(formatPercent(-0.0123, USD)).toBe("\u22121.23%");
    expect(formatPercent(0, USD)).toBe("0.00%");
    expect(formatPercent(-0.00001, USD)).toBe("0.00%");
    expect(formatPercent(0.125, USD, 1)).toBe("+12.5%");
    expect(plain(formatPercent(0.0123, EUR))).toBe("+1,23 %");
    expect(formatPercent(0.5, INR)).toBe("+50.00%");
  });

  it("answers a dash for a missing or non-finite value", () => {
    for (const n of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatMoney(n, USD)).toBe("–");
      expect(formatPercent(n, USD)).toBe("–");
      expect(formatPrice(n, INR)).toBe("–");
    }
  });

  it("has compact figures and currency signs for labels", () => {
    expect(formatCompact(1500000, USD)).toBe("1.5M");
    expect(formatCompact(1500000, INR)).toBe("15L");
    expect([INR, EUR, GBP, USD].map(currencySymbol)).toEqual(["₹", "€", "£", "$"]);
  });

  it("reads the format from a market's rules, defaulting per currency and to dollars", () => {
    expect(formatSpecOf({ currency: "INR" })).toEqual(INR);
    expect(formatSpecOf({ currency: "EUR", locale: "en-IE" })).toEqual({ currency: "EUR", locale: "en-IE" });
    expect(formatSpecOf(undefined)).toEqual(USD);
    expect(formatSpecOf({ currency: "XYZ", locale: "xx" })).toEqual(USD);
  });
});
