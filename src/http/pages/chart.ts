import { formatInr } from "./format.js";

/** One bar of the balances chart, in SVG user units; the template draws it (and escapes text). */
export interface Bar {
  label: string;
  amountText: string;
  /** "owed" (they owe you, drawn right of the axis) or "owe" (you owe them, drawn left). */
  direction: "owed" | "owe";
  x: number;
  y: number;
  width: number;
  textY: number;
}

export interface Chart {
  width: number;
  height: number;
  axisX: number;
  rowHeight: number;
  barHeight: number;
  bars: Bar[];
  description: string;
}

const WIDTH = 360;
const ROW = 40;
const BAR = 14;
const TOP = 8;

/**
 * Balances per person as a diverging bar chart: the axis is in the middle, people who owe you
 * extend right, people you owe extend left, lengths proportional to the largest amount. The
 * name and amount sit above each bar so the chart stays readable when scaled down to a phone.
 */
export function balanceChart(rows: { name: string; paise: number }[]): Chart {
  const axisX = WIDTH / 2;
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.paise)));
  const half = axisX - 4;
  const bars = rows.map((r, i): Bar => {
    const length = Math.max(2, Math.round((Math.abs(r.paise) / max) * half));
    const direction = r.paise >= 0 ? "owed" : "owe";
    const y = TOP + i * ROW + 20;
    return {
      label: r.name,
      amountText: formatInr(Math.abs(r.paise)),
      direction,
      x: direction === "owed" ? axisX : axisX - length,
      y,
      width: length,
      textY: y - 5,
    };
  });
  const description = rows
    .map((r) =>
      r.paise >= 0
        ? `${r.name} owes you ${formatInr(r.paise)}`
        : `you owe ${r.name} ${formatInr(-r.paise)}`,
    )
    .join("; ");
  return {
    width: WIDTH,
    height: TOP * 2 + rows.length * ROW,
    axisX,
    rowHeight: ROW,
    barHeight: BAR,
    bars,
    description: description || "No balances",
  };
}
