import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";

/**
 * Issue 16: the JSON exports carry the activity log (as GET …/activity shows it to the same
 * reader) with the ids it names, a deleted settlement stays out of the exported history, and an
 * Evenly JSON import accepts such a file and leaves its history behind.
 */
let t: TestApp;
let a: number;
let b: number;
let c: number;
const suite = appSuite({ users: ["A", "B", "C"] });
beforeEach(() => {
  t = suite.t;
  [a, b, c] = suite.users;
});

const download = async (url: string, as: number) => {
  const res = await t.app.inject({ method: "GET", url, headers: t.authHeaders(as) });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body);
};
const allActivity = async (url: string, as: number) => {
  const res = await t.call("GET", `${url}?limit=200`, undefined, { as });
  expect(res.status).toBe(200);
  return [...res.body.items].reverse();
};

/** A group with an edited expense, a settlement deleted again, a member added and a rename. */
async function busyGroup(): Promise<{ g: number; expense: number; settlement: number }> {
  const g = (await t.call("POST", "/groups", { name: "Goa", members: [b] }, { as: a })).body
    .groupid as number;
  const villa = {
    group_id: g,
    description: "Villa",
    amount: "300.00",
    paid_by: a,
    participants: [a, b],
    split_type: "EQUAL",
  };
  const e = await t.call("POST", "/expenses", villa, { as: a });
  expect(e.status).toBe(201);
  const edit = await t.call(
    "PUT",
    `/expenses/${e.body.expenseid}`,
    { ...villa, amount: "240.00" },
    { as: a },
  );
  expect(edit.status, JSON.stringify(edit.body)).toBe(200);
  const st = await t.call(
    "POST",
    "/settlements",
    { from_user: b, to_user: a, amount: "20.00", group_id: g },
    { as: b },
  );
  expect(st.status).toBe(201);
  expect(
    (await t.call("DELETE", `/settlements/${st.body.settlementid}`, undefined, { as: b })).status,
  ).toBe(204);
  expect((await t.call("POST", `/groups/${g}/members`, { userid: c }, { as: a })).status).toBe(201);
  expect((await t.call("PATCH", `/groups/${g}`, { name: "Goa 2026" }, { as: a })).status).toBe(200);
  return { g, expense: e.body.expenseid, settlement: st.body.settlementid };
}

describe("activity in the JSON exports", () => {
  it("a group's export.json has its whole activity log as the API gives it, with the ids it names", async () => {
    const { g, expense, settlement } = await busyGroup();
    const file = await download(`/groups/${g}/export.json`, b);
    expect(file.format_version).toBe(1);
    const kinds = file.activity.map((x: { kind: string }) => x.kind);
    expect(kinds).toEqual([
      "group.created",
      "expense.created",
      "expense.updated",
      "settlement.created",
      "settlement.deleted",
      "group.member_added",
      "group.updated",
    ]);
    // Entry for entry what GET /groups/{id}/activity shows the same member, oldest first.
    expect(file.activity).toEqual(await allActivity(`/groups/${g}/activity`, b));
    const updated = file.activity[2];
    expect(updated).toMatchObject({
      kind: "expense.updated",
      actor: a,
      expenseid: expense,
      groupid: g,
      changes: { amount: { from: "300.00", to: "240.00" } },
    });
    // The ids resolve inside the file: the expense, and the members by userid.
    expect(file.expenses.map((x: { id: number }) => x.id)).toEqual([expense]);
    expect(file.members.map((m: { userid: number }) => m.userid).sort()).toEqual([a, b, c].sort());
    // The deleted settlement is history only: not among the settlements, its entries kept.
    expect(file.settlements).toEqual([]);
    expect(file.activity[4]).toMatchObject({
      kind: "settlement.deleted",
      settlementid: settlement,
    });
  });

  it("the user's export.json puts each group's log in its file and the rest outside groups", async () => {
    const { g } = await busyGroup();
    const alone = await t.call(
      "POST",
      "/expenses",
      {
        description: "Tea",
        amount: "10.00",
        paid_by: a,
        participants: [a, c],
        split_type: "EQUAL",
      },
      { as: a },
    );
    expect(alone.status).toBe(201);
    const file = await download(`/users/${a}/export.json`, a);
    const [group] = file.groups;
    expect(group.groupid).toBe(g);
    expect(group.activity).toEqual(await allActivity(`/groups/${g}/activity`, a));
    expect(file.outside_groups.activity).toEqual([
      expect.objectContaining({
        kind: "expense.created",
        expenseid: alone.body.expenseid,
        groupid: null,
      }),
    ]);
    // Together they are the user's whole activity feed, each entry once.
    const ids = [...group.activity, ...file.outside_groups.activity].map(
      (x: { activityid: number }) => x.activityid,
    );
    const feed = (await allActivity(`/users/${a}/activity`, a)).map(
      (x: { activityid: number }) => x.activityid,
    );
    expect(ids.sort((x, y) => x - y)).toEqual(feed.sort((x: number, y: number) => x - y));
  });

  it("an Evenly JSON import accepts the activity and ids, says it keeps no history, and reproduces the balances", async () => {
    const { g } = await busyGroup();
    const res = await t.app.inject({
      method: "GET",
      url: `/groups/${g}/export.json`,
      headers: t.authHeaders(a),
    });
    const file = JSON.parse(res.body);
    const back = await t.call(
      "POST",
      "/groups/import",
      {
        format: "evenly-json",
        data: res.body,
        members: Object.fromEntries(
          file.members.map((m: { name: string; userid: number }) => [m.name, m.userid]),
        ),
      },
      { as: a },
    );
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.problems).toContain(
      "The file's activity log (7 entries) stays in the file: the imported group starts a new history",
    );
    const nets = async (id: number) =>
      (await t.call("GET", `/groups/${id}/balances`, undefined, { as: a })).body.members;
    expect(await nets(back.body.groupid)).toEqual(await nets(g));
    // A malformed activity entry is refused like any other field.
    file.activity[0].kind = "group.exploded";
    const bad = await t.call(
      "POST",
      "/groups/import",
      { format: "evenly-json", data: JSON.stringify(file), members: {}, dry_run: true },
      { as: a },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe("activity[0].kind");
  });
});
