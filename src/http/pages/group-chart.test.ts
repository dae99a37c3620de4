import { describe, expect, test } from "vitest";
import { netsChart, netWords } from "./group-chart.js";

describe("nets chart", () => {
  test("owed to the right of the zero line, owing to the left, the largest net the longest", () => {
    const chart = netsChart({ name: "Goa", currency: "INR" }, [
      { name: "Asha", net: 170000 },
      { name: "Bela", net: -40000 },
      { name: "Chetan", net: -130000 },
      { name: "Dev", net: 0 },
    ]);
    if (!chart) throw new Error("expected a chart");
    const [asha, bela, chetan, dev] = chart.bars;
    expect(asha).toMatchObject({
      tone: "owed",
      barX: chart.zeroX,
      text: "Asha: is owed ₹1,700.00",
    });
    expect(bela?.barX).toBe(chart.zeroX - (bela?.width ?? 0));
    expect(chetan?.text).toBe("Chetan: owes ₹1,300.00");
    expect(dev).toMatchObject({ tone: "zero", width: 0, text: "Dev: settled up" });
    expect((asha?.width ?? 0) > (chetan?.width ?? 0)).toBe(true);
    expect((chetan?.width ?? 0) > (bela?.width ?? 0)).toBe(true);
    expect(chart.description).toBe(
      "Net position of each member in Goa (INR): Asha is owed ₹1,700.00; Bela owes ₹400.00; Chetan owes ₹1,300.00; Dev settled up.",
    );
  });

  test("nothing to compare when everyone is settled; long names are cut only in the picture", () => {
    expect(netsChart({ name: "Goa", currency: "INR" }, [{ name: "Asha", net: 0 }])).toBeNull();
    const long = "A".repeat(40);
    const chart = netsChart({ name: "Goa", currency: "INR" }, [
      { name: long, net: 1 },
      { name: "Bela", net: -1 },
    ]);
    expect(chart?.bars[0]?.text).toBe(`${"A".repeat(23)}…: is owed ₹0.01`);
    expect(chart?.description).toContain(long);
    // Cut between characters, never inside one: an emoji is two UTF-16 units, not half of one.
    const emoji = `${"A".repeat(22)}😀😀😀`;
    const cut = netsChart({ name: "Goa", currency: "INR" }, [
      { name: emoji, net: 1 },
      { name: `${"B".repeat(22)}😀😀`, net: -1 },
    ]);
    expect(cut?.bars[0]?.text).toBe(`${"A".repeat(22)}😀…: is owed ₹0.01`);
    expect(cut?.bars[1]?.text).toBe(`${"B".repeat(22)}😀😀: owes ₹0.01`);
    expect(netWords(-5, "INR")).toBe("owes ₹0.05");
    expect(netWords(-5, "JPY")).toBe("owes ¥5");
    expect(netWords(1500, "KWD")).toMatch(/^is owed KWD\s1\.500$/u);
  });
});
