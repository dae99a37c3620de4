import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

// Settlement notes moving in and out: a Spliit reimbursement's title and notes, a Splitwise
// Payment's own Description, an Evenly JSON file's settlement `note` (round trip), cut to fit and
// counted in `problems` like an expense's notes.

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/interchange/${name}`, import.meta.url), "utf8");

let t: TestApp;
let a: number;
let b: number;
let c: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

type Listed = { from_user: number; to_user: number; amount: number; note: string | null };
const importFile = (body: object) => t.call("POST", "/groups/import", body, { as: a });
const groupSettlements = async (g: number): Promise<Listed[]> =>
  (await t.call("GET", `/groups/${g}/settlements?limit=100`, undefined, { as: a })).body.items;
const exportJson = async (g: number) =>
  (
    await t.app.inject({
      method: "GET",
      url: `/groups/${g}/export.json`,
      headers: t.authHeaders(a),
    })
  ).body;
const SPLIIT_MEMBERS = () => ({ Anna: a, Ben: b, Chloé: c });

describe("importing settlement notes", () => {
  it("Spliit JSON: a reimbursement keeps its title, and its notes after it", async () => {
    const res = await importFile({
      format: "spliit-json",
      data: fixture("spliit-inr.json"),
      members: SPLIIT_MEMBERS(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await groupSettlements(res.body.groupid)).toEqual([
      expect.objectContaining({ from_user: b, to_user: a, note: "Ben pays Anna back" }),
    ]);
    const file = JSON.parse(fixture("spliit-inr.json"));
    const payback = file.expenses.find((e: { isReimbursement: boolean }) => e.isReimbursement);
    payback.notes = "bank transfer\r\nref 42";
    const noted = await importFile({
      format: "spliit-json",
      data: JSON.stringify(file),
      members: SPLIIT_MEMBERS(),
      name: "Again",
    });
    expect(noted.status, JSON.stringify(noted.body)).toBe(201);
    expect((await groupSettlements(noted.body.groupid))[0]?.note).toBe(
      "Ben pays Anna back\nbank transfer\nref 42",
    );
  });

  it("Splitwise CSV: a Payment's Description is its note unless it only says who paid whom", async () => {
    const csv = fixture("splitwise-inr.csv");
    const plain = await importFile({
      format: "splitwise-csv",
      data: csv,
      members: { Asha: a, Ravi: b, Meera: c },
    });
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect((await groupSettlements(plain.body.groupid))[0]?.note).toBeNull();
    const typed = await importFile({
      format: "splitwise-csv",
      data: csv.replace("Ravi paid Asha,Payment", "Cash at the airport,Payment"),
      members: { Asha: a, Ravi: b, Meera: c },
      name: "Typed",
    });
    expect(typed.status, JSON.stringify(typed.body)).toBe(201);
    expect(await groupSettlements(typed.body.groupid)).toEqual([
      expect.objectContaining({ from_user: b, to_user: a, note: "Cash at the airport" }),
    ]);
  });

  it("a note too long or unclean is made fit (line breaks kept), and the answer says so", async () => {
    const file = JSON.parse(fixture("spliit-inr.json"));
    const payback = file.expenses.find((e: { isReimbursement: boolean }) => e.isReimbursement);
    payback.notes = `a\u0000b\r\n${"y".repeat(1200)}`;
    const body = { format: "spliit-json", data: JSON.stringify(file), members: SPLIIT_MEMBERS() };
    const dry = await importFile({ ...body, dry_run: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.problems).toContainEqual(
      "1 settlement(s) have a note cut or cleaned to fit (a note is at most 1000 characters)",
    );
    const res = await importFile(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems).toEqual(dry.body.problems);
    const note = (await groupSettlements(res.body.groupid))[0]?.note ?? "";
    expect([...note]).toHaveLength(1000);
    expect(note).toMatch(/^Ben pays Anna back\na b\ny+…$/);
  });
});

describe("exporting settlement notes", () => {
  it("Evenly JSON round trip: the export carries each note, importing it keeps them", async () => {
    const g = (await t.call("POST", "/groups", { name: "Flat", members: [b, c] }, { as: a })).body
      .groupid;
    const exp = await t.call(
      "POST",
      "/expenses",
      {
        group_id: g,
        description: "Rent",
        amount: "90.00",
        paid_by: a,
        participants: [a, b, c],
        split_type: "EQUAL",
      },
      { as: a },
    );
    expect(exp.status).toBe(201);
    for (const [from, note] of [
      [b, "Cash at the airport\nthanks!"],
      [c, undefined],
    ] as const) {
      const res = await t.call(
        "POST",
        "/settlements",
        { from_user: from, to_user: a, amount: "10.00", group_id: g, note },
        { as: a },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const text = await exportJson(g);
    const file = JSON.parse(text);
    expect(file.settlements.map((s: { note: string | null }) => s.note)).toEqual([
      "Cash at the airport\nthanks!",
      null,
    ]);
    const res = await importFile({
      format: "evenly-json",
      data: text,
      members: Object.fromEntries(
        file.members.map((m: { name: string; userid: number }) => [m.name, m.userid]),
      ),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems.join(" ")).not.toMatch(/note/i);
    const notes = async (group: number) =>
      (await groupSettlements(group)).map((s) => [s.from_user, s.note]);
    expect(await notes(res.body.groupid)).toEqual(await notes(g));
    const again = JSON.parse(await exportJson(res.body.groupid));
    expect(again.settlements.map((s: { note: string | null }) => s.note)).toEqual(
      file.settlements.map((s: { note: string | null }) => s.note),
    );
  });
});
