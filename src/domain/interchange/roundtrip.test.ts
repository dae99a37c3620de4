import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interchangeGroup } from "../../../test/helpers/interchange-group.js";
import { testSeed } from "../../../test/helpers/seed.js";
import { describeGroup } from "./check.js";
import { readEvenlyJson, writeEvenlyJson } from "./evenly-json.js";
import { netsByCurrency } from "./model.js";
import { readSplitwiseCsv } from "./splitwise-read.js";
import { writeSplitwiseCsv } from "./splitwise-write.js";

/** Nets per currency with zeros dropped, as sorted entries (comparable with toEqual). */
const nets = (m: Map<string, Map<string, number>>) =>
  [...m]
    .flatMap(([c, byMember]) =>
      [...byMember].filter(([, v]) => v !== 0).map(([n, v]) => `${c} ${n} ${v}`),
    )
    .sort();

describe("round trips (property)", () => {
  console.log(`interchange round trips: seed ${testSeed} (replay: TEST_SEED=${testSeed})`);

  it("generates only groups the ledger accepts", () => {
    fc.assert(
      fc.property(interchangeGroup, (g) => {
        expect(describeGroup(g)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("model → Splitwise CSV → model keeps every member's net per currency", () => {
    fc.assert(
      fc.property(interchangeGroup, (g) => {
        const back = readSplitwiseCsv(writeSplitwiseCsv(g), { currency: g.currency });
        expect(back.group.members.map((m) => m.name)).toEqual(g.members.map((m) => m.name));
        expect(nets(netsByCurrency(back.group))).toEqual(nets(netsByCurrency(g)));
        expect(back.group.settlements).toHaveLength(g.settlements.length);
      }),
      { numRuns: 200 },
    );
  });

  it("model → Evenly JSON → model is identical", () => {
    fc.assert(
      fc.property(interchangeGroup, (g) => {
        expect(readEvenlyJson(writeEvenlyJson(g))).toEqual({ group: g, problems: [] });
      }),
      { numRuns: 200 },
    );
  });
});
