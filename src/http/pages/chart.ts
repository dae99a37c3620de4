import type { MonthTotal } from "../../services/spending.js";
import { formatAmount, formatMonth } from "./format.js";

/** One month's bar, in SVG user units; the template draws it (and escapes the text). */
export interface MonthBar {
  label: string;
  valueText: string;
  y: number;
  width: number;
  /** Where the value text starts (just after the bar). */
  valueX: number;
}

export interface SpendingChart {
  width: number;
  height: number;
  /** x of the month axis; bars start here. */
  axisX: number;
  barHeight: number;
  /** y of the value axis' title, under the bars. */
  titleY: number;
  bars: MonthBar[];
  /** The one currency the chart counts (APP_CURRENCY): the others are not added in. */
  currency: string;
  /** The whole chart in words, for screen readers (the SVG is one image). */
  description: string;
}

const WIDTH = 360;
const LABEL = 74; // month names left of the axis
const VALUE = 100; // room right of the longest bar for "₹1,00,000.00"
const ROW = 30;
const BAR = 16;
const TOP = 6;

/**
 * Your share of expenses in `currency` (APP_CURRENCY) per month as horizontal bars (months down
 * the axis, each bar's value written after it), something the balances list cannot show.
 * Expenses in other currencies are left out, not added in: a bar is one currency's amount, and
 * the page says so. Null when at most one month has any spending in `currency`: a single bar
 * says no more than the list of expenses does.
 */
export function spendingChart(months: MonthTotal[], currency: string): SpendingChart | null {
  const yours = months.map((m) => m.currencies.find((c) => c.currency === currency)?.yours ?? 0);
  if (yours.filter((y) => y > 0).length < 2) return null;
  const max = Math.max(...yours);
  const room = WIDTH - LABEL - VALUE - 8;
  const bars = months.map((m, i): MonthBar => {
    const mine = yours[i] ?? 0;
    const width = mine === 0 ? 0 : Math.max(2, Math.round((mine / max) * room));
    return {
      label: formatMonth(m.month, "short"),
      valueText: formatAmount(mine, currency),
      y: TOP + i * ROW + (ROW - BAR) / 2,
      width,
      valueX: LABEL + width + 6,
    };
  });
  const titleY = TOP + months.length * ROW + 18;
  return {
    width: WIDTH,
    height: titleY + 6,
    axisX: LABEL,
    barHeight: BAR,
    titleY,
    bars,
    currency,
    description: `Your share of expenses in ${currency} per month: ${months
      .map((m, i) => `${formatMonth(m.month)} ${formatAmount(yours[i] ?? 0, currency)}`)
      .join("; ")}.`,
  };
}
