import type { MonthTotal } from "../../services/spending.js";
import { formatInr, formatMonth } from "./format.js";

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
 * Your share of expenses per month as horizontal bars (months down the axis, each bar's value
 * written after it), something the balances list cannot show. Null when at most one month has
 * any spending: a single bar says no more than the list of expenses does.
 */
export function spendingChart(months: MonthTotal[]): SpendingChart | null {
  if (months.filter((m) => m.yours > 0).length < 2) return null;
  const max = Math.max(...months.map((m) => m.yours));
  const room = WIDTH - LABEL - VALUE - 8;
  const bars = months.map((m, i): MonthBar => {
    const width = m.yours === 0 ? 0 : Math.max(2, Math.round((m.yours / max) * room));
    const short = formatMonth(m.month, "short");
    return {
      label: short,
      valueText: formatInr(m.yours),
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
    description: `Your share of expenses per month: ${months
      .map((m) => `${formatMonth(m.month)} ${formatInr(m.yours)}`)
      .join("; ")}.`,
  };
}
