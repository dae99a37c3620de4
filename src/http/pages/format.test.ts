import { expect, test } from "vitest";
import { addMonths } from "../../services/spending.js";
import { spendingChart } from "./chart.js";
import { formatAmount, formatDate, formatInr, formatMonth } from "./format.js";

test("rupees with Indian digit grouping", () => {
  expect(formatInr(10_000_000)).toBe("₹1,00,000.00");
  expect(formatInr(1_000_000_000)).toBe("₹1,00,00,000.00");
  expect(formatInr(3334)).toBe("₹33.34");
  expect(formatInr(5)).toBe("₹0.05");
  expect(formatInr(0)).toBe("₹0.00");
  expect(formatInr(123_456_789)).toBe("₹12,34,567.89");
});

test("each amount in its own currency: ₹1,00,000.00, $1,000.00, ¥1,000, KWD 1.500", () => {
  expect(formatAmount(10_000_000, "INR")).toBe("₹1,00,000.00");
  expect(formatAmount(100_000, "USD")).toBe("$1,000.00");
  expect(formatAmount(1000, "JPY")).toBe("¥1,000");
  expect(formatAmount(1500, "KWD")).toMatch(/^KWD\s1\.500$/); // Intl puts a no-break space
  expect(formatAmount(-250, "EUR")).toBe("-€2.50");
});

test("calendar dates do not shift with the time zone", () => {
  expect(formatDate("2026-01-01")).toBe("1 Jan 2026");
});

test("months read as words, long or short", () => {
  expect(formatMonth("2026-11")).toBe("November 2026");
  expect(formatMonth("2027-01", "short")).toBe("Jan 2027");
});

const month = (m: string, yours: number, others: { currency: string; yours: number }[] = []) => ({
  month: m,
  currencies: [
    { currency: "INR", total: yours * 2, yours, count: 1 },
    ...others.map((o) => ({ ...o, total: o.yours, count: 1 })),
  ],
  count: 1 + others.length,
});

test("the spending chart: one bar per month, the longest for the most, values as text", () => {
  const c = spendingChart(
    [month("2026-10", 5000), month("2026-11", 0), month("2026-12", 10000)],
    "INR",
  );
  expect(c).not.toBeNull();
  const [oct, nov, dec] = c?.bars ?? [];
  expect(dec?.width).toBeGreaterThan(oct?.width ?? Infinity);
  expect(oct && dec && dec.width / oct.width).toBeCloseTo(2, 1);
  expect(nov?.width).toBe(0);
  expect(nov?.valueText).toBe("₹0.00");
  expect(oct?.valueX).toBeGreaterThan(c?.axisX ?? Infinity);
  expect(c?.description).toBe(
    "Your share of expenses in INR per month: October 2026 ₹50.00; November 2026 ₹0.00; December 2026 ₹100.00.",
  );
});

test("the spending chart counts APP_CURRENCY only: other currencies are not added in", () => {
  const c = spendingChart(
    [
      month("2026-10", 5000, [{ currency: "USD", yours: 900_000 }]),
      month("2026-11", 10000, [{ currency: "JPY", yours: 7 }]),
    ],
    "INR",
  );
  expect(c?.currency).toBe("INR");
  expect(c?.bars.map((b) => b.valueText)).toEqual(["₹50.00", "₹100.00"]);
  // Only one month in INR: nothing to chart, however much was spent in dollars.
  expect(
    spendingChart(
      [month("2026-10", 0, [{ currency: "USD", yours: 500 }]), month("2026-11", 700)],
      "INR",
    ),
  ).toBeNull();
  expect(spendingChart([month("2026-10", 0), month("2026-11", 3000)], "USD")).toBeNull();
});

test("no spending chart when at most one month has any spending", () => {
  expect(spendingChart([month("2026-10", 0), month("2026-11", 700)], "INR")).toBeNull();
  expect(spendingChart([month("2026-10", 0), month("2026-11", 0)], "INR")).toBeNull();
});

test("months count on across years", () => {
  expect(addMonths("2026-01", -1)).toBe("2025-12");
  expect(addMonths("2025-12", 1)).toBe("2026-01");
  expect(addMonths("2026-06", -5)).toBe("2026-01");
  expect(addMonths("2026-06", -17)).toBe("2025-01");
});
