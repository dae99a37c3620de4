import { expect, test } from "vitest";
import { balanceChart } from "./chart.js";
import { formatDate, formatInr } from "./format.js";

test("rupees with Indian digit grouping", () => {
  expect(formatInr(10_000_000)).toBe("₹1,00,000.00");
  expect(formatInr(1_000_000_000)).toBe("₹1,00,00,000.00");
  expect(formatInr(3334)).toBe("₹33.34");
  expect(formatInr(5)).toBe("₹0.05");
  expect(formatInr(0)).toBe("₹0.00");
  expect(formatInr(123_456_789)).toBe("₹12,34,567.89");
});

test("calendar dates do not shift with the time zone", () => {
  expect(formatDate("2026-01-01")).toBe("1 Jan 2026");
});

test("the chart puts people who owe you right of the axis, people you owe left", () => {
  const c = balanceChart([
    { name: "A", paise: 5000 },
    { name: "B", paise: -10000 },
  ]);
  const [a, b] = c.bars;
  expect(a?.x).toBe(c.axisX);
  expect(b && b.x + b.width).toBe(c.axisX);
  expect(b?.width).toBeGreaterThan(a?.width ?? Infinity);
  expect(c.description).toBe("A owes you ₹50.00; you owe B ₹100.00");
});
