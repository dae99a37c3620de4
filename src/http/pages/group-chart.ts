import { formatAmount } from "./format.js";

/** One member's row of the nets chart, in SVG user units; the template escapes the text. */
export interface NetBar {
  /** "Asha: is owed ₹200.00" — the value always in words, never colour alone. */
  text: string;
  tone: "owed" | "owe" | "zero";
  /** Baseline of the text line. */
  textY: number;
  barX: number;
  barY: number;
  width: number;
}

export interface NetsChart {
  width: number;
  height: number;
  /** x of the zero line: owed to the right, owing to the left. */
  zeroX: number;
  barHeight: number;
  bars: NetBar[];
  description: string;
}

const WIDTH = 360;
const ROW = 44;
const BAR = 14;
const TOP = 4;
const HALF = WIDTH / 2 - 8;

/** How a member's net reads (in `currency`): positive is owed to them, negative is what they owe. */
export function netWords(net: number, currency: string): string {
  const text = (minor: number) => formatAmount(minor, currency);
  return net > 0 ? `is owed ${text(net)}` : net < 0 ? `owes ${text(-net)}` : "settled up";
}

/**
 * The members' nets in the group's currency as a diverging bar chart around a zero line (the text
 * line above each bar names the member and the value). Null when every net is zero: nothing to
 * compare. Nets in other currencies are listed beside it, never added in.
 */
export function netsChart(
  group: { name: string; currency: string },
  members: { name: string; net: number }[],
): NetsChart | null {
  if (members.every((m) => m.net === 0)) return null;
  const max = Math.max(...members.map((m) => Math.abs(m.net)));
  const zeroX = WIDTH / 2;
  // SVG text does not wrap: a long name is cut in the picture (the description has it whole),
  // after 23 whole characters (slicing UTF-16 units could halve an emoji into a U+FFFD).
  const short = (name: string) => {
    const chars = [...name];
    return chars.length > 24 ? `${chars.slice(0, 23).join("")}…` : name;
  };
  const bars = members.map((m, i): NetBar => {
    const width = m.net === 0 ? 0 : Math.max(2, Math.round((Math.abs(m.net) / max) * HALF));
    return {
      text: `${short(m.name)}: ${netWords(m.net, group.currency)}`,
      tone: m.net > 0 ? "owed" : m.net < 0 ? "owe" : "zero",
      textY: TOP + i * ROW + 14,
      barX: m.net >= 0 ? zeroX : zeroX - width,
      barY: TOP + i * ROW + 20,
      width,
    };
  });
  return {
    width: WIDTH,
    height: TOP + members.length * ROW + 2,
    zeroX,
    barHeight: BAR,
    bars,
    description: `Net position of each member in ${group.name} (${group.currency}): ${members
      .map((m) => `${m.name} ${netWords(m.net, group.currency)}`)
      .join("; ")}.`,
  };
}
