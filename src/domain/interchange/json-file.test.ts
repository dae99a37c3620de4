import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loneSurrogatesIn } from "../text.js";
import { readEvenlyJson, writeEvenlyJson } from "./evenly-json.js";
import { MalformedFile } from "./model.js";
import { readSpliitJson } from "./spliit-read.js";
import { readSplitwiseCsv } from "./splitwise-read.js";

/**
 * A `\ud800` escape without its pair inside an imported JSON file is not text: PostgreSQL stored
 * it as U+FFFD. The file is refused (422) naming each place, as the API refuses such a body.
 */
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/interchange/${name}`, import.meta.url), "utf8");
const LONE = /lone surrogate/;
const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedFile);
    return (e as MalformedFile).issues;
  }
  throw new Error("did not throw");
};

describe("loneSurrogatesIn", () => {
  it("names strings and keys with one, in document order; whole pairs are text", () => {
    const value = JSON.parse(
      '{"a":"ok \\ud83d\\ude00","b":[1,"\\ud800",{"c\\udc00":true}],"d":{"e":"x\\udbff"}}',
    );
    expect(loneSurrogatesIn(value)).toEqual([
      { path: ["b", 1], key: false },
      { path: ["b", 2], key: true },
      { path: ["d", "e"], key: false },
    ]);
    expect(loneSurrogatesIn(value, 1)).toEqual([{ path: ["b", 1], key: false }]);
    expect(loneSurrogatesIn("\udc00")).toEqual([{ path: [], key: false }]);
    expect(loneSurrogatesIn(JSON.parse('{"a":"\\\\ud800","b":"😀"}'))).toEqual([]);
  });

  it("walks a deeply nested value without recursion", () => {
    const deep = JSON.parse(`${"[".repeat(5000)}"\\ud800"${"]".repeat(5000)}`);
    expect(loneSurrogatesIn(deep)[0]?.path).toHaveLength(5000);
  });
});

describe("Spliit JSON", () => {
  const read = (text: string) => readSpliitJson(text, { currency: "INR" });

  it("a lone surrogate in a title, the group name or a key → every place named", () => {
    const file = JSON.parse(fixture("spliit-export.json"));
    file.name = "Goa\ud800";
    file.expenses[1].title = "\udc00Dinner";
    file.expenses[2]["x\ud83d"] = 1;
    const issues = issuesOf(() => read(JSON.stringify(file)));
    expect(issues.map((i) => i.field).sort()).toEqual(["expenses[1].title", "expenses[2]", "name"]);
    for (const i of issues) expect(i.message).toMatch(LONE);
  });

  it("whole pairs, escaped or not, read as text", () => {
    const file = JSON.parse(fixture("spliit-export.json"));
    file.expenses[1].title = "Dinner 😀";
    const text = JSON.stringify(file).replace("Dinner 😀", "Dinner \\ud83d\\ude00");
    expect(read(text).group.expenses.some((e) => e.description === "Dinner 😀")).toBe(true);
  });
});

describe("Evenly JSON", () => {
  const { group } = readSplitwiseCsv(fixture("splitwise-two-currencies.csv"), { currency: "INR" });

  it("a lone surrogate in a description, a member name or a settlement note → named", () => {
    const file = JSON.parse(writeEvenlyJson(group));
    file.expenses[0].description = "Villa\ud800";
    file.members[1].name = "\udfffRavi";
    file.settlements[0].note = "cash\ud800";
    const issues = issuesOf(() => readEvenlyJson(JSON.stringify(file)));
    expect(issues.map((i) => i.field)).toEqual([
      "members[1].name",
      "expenses[0].description",
      "settlements[0].note",
    ]);
    for (const i of issues) expect(i.message).toMatch(LONE);
  });
});
