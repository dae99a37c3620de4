import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** `n` people invited by `inviter` (so the inviter knows them all and may split with them). */
async function bulkUsers(n: number, inviter: number, prefix = "p"): Promise<number[]> {
  const values = Array.from(
    { length: n },
    (_, i) => `('${prefix}${i}', '${prefix}${i}@bulk.test', '9000000000', ${inviter})`,
  );
  const r = (await t.db.db.execute(
    sql.raw(
      `insert into users (name, email, mobile_number, invited_by) values ${values.join(",")} returning id`,
    ),
  )) as unknown as { rows: { id: number }[] };
  return r.rows.map((x) => Number(x.id));
}

/** Statements issued by one request, counted at the ORM's query logger. */
async function statementsFor(fn: () => Promise<unknown>): Promise<number> {
  t.db.statements.count = 0;
  t.db.statements.enabled = true;
  try {
    await fn();
  } finally {
    t.db.statements.enabled = false;
  }
  return t.db.statements.count;
}

it("creating, reading, editing and deleting an expense costs the same number of statements for 2 or 1000 participants", async () => {
  // The payer records, reads, edits and deletes the expense: a user with an API token.
  const payer = await t.user("Payer");
  const ids = await bulkUsers(1000, payer);
  // First use of a token records last_used_at (at most once a minute): do it before measuring.
  expect((await t.call("GET", "/auth/me", undefined, { as: payer })).status).toBe(200);
  const counts: Record<string, number[]> = {
    create: [],
    get: [],
    put: [],
    delete: [],
    restore: [],
    activity: [],
    balances: [],
  };
  for (const n of [2, 1000]) {
    const body = {
      paid_by: payer,
      amount: "10000.00",
      split_type: "EQUAL",
      participants: ids.slice(0, n),
      description: "bulk",
    };
    let id = 0;
    counts.create?.push(
      await statementsFor(async () => {
        const res = await t.call("POST", "/expenses", body, { as: payer });
        expect(res.status).toBe(201);
        id = res.body.expenseid;
      }),
    );
    counts.get?.push(
      await statementsFor(async () => {
        const res = await t.call("GET", `/expenses/${id}`, undefined, { as: payer });
        expect(res.status).toBe(200);
      }),
    );
    counts.put?.push(
      await statementsFor(async () => {
        const res = await t.call(
          "PUT",
          `/expenses/${id}`,
          { ...body, amount: "9999.99" },
          { as: payer },
        );
        expect(res.status).toBe(200);
      }),
    );
    counts.balances?.push(
      await statementsFor(async () => {
        const url = `/users/${payer}/balances?simplify=true`;
        expect((await t.call("GET", url, undefined, { as: payer })).status).toBe(200);
      }),
    );
    counts.delete?.push(
      await statementsFor(async () => {
        const res = await t.call("DELETE", `/expenses/${id}`, undefined, { as: payer });
        expect(res.status).toBe(204);
      }),
    );
    counts.restore?.push(
      await statementsFor(async () => {
        const res = await t.call("POST", `/expenses/${id}/restore`, undefined, { as: payer });
        expect(res.status).toBe(200);
      }),
    );
    counts.activity?.push(
      await statementsFor(async () => {
        const url = `/users/${payer}/activity`;
        expect((await t.call("GET", url, undefined, { as: payer })).status).toBe(200);
      }),
    );
  }
  console.log("statements per request for [2, 1000] participants:", JSON.stringify(counts));
  for (const [op, [small, large]] of Object.entries(counts)) {
    expect(small, op).toBeGreaterThan(0);
    expect(large, op).toBe(small);
    // A small constant: token check, lock, read, write each table once, balances, outbox.
    expect(large, op).toBeLessThanOrEqual(16);
  }
});

it("a group expense costs the same number of statements for 2 or 1000 members, a few more than one between friends", async () => {
  const payer = await t.user("Group payer");
  const ids = await bulkUsers(1000, payer, "g");
  expect((await t.call("GET", "/auth/me", undefined, { as: payer })).status).toBe(200);
  const group = await t.call("POST", "/groups", { name: "Big trip" }, { as: payer });
  expect(group.status).toBe(201);
  const groupId = group.body.groupid;
  await t.db.db.execute(
    sql.raw(
      `insert into group_members (group_id, user_id, added_by) select ${groupId}, id, ${payer} from users where invited_by = ${payer}`,
    ),
  );
  const counts: Record<string, number[]> = {
    create: [],
    get: [],
    put: [],
    balances: [],
    delete: [],
  };
  for (const n of [2, 1000]) {
    const body = {
      paid_by: payer,
      amount: "10000.00",
      split_type: "EQUAL",
      participants: ids.slice(0, n),
      description: "bulk",
      group_id: groupId,
    };
    let id = 0;
    counts.create?.push(
      await statementsFor(async () => {
        const res = await t.call("POST", "/expenses", body, { as: payer });
        expect(res.status).toBe(201);
        id = res.body.expenseid;
      }),
    );
    counts.get?.push(
      await statementsFor(async () => {
        expect((await t.call("GET", `/expenses/${id}`, undefined, { as: payer })).status).toBe(200);
      }),
    );
    counts.put?.push(
      await statementsFor(async () => {
        const res = await t.call(
          "PUT",
          `/expenses/${id}`,
          { ...body, amount: "9999.99" },
          { as: payer },
        );
        expect(res.status).toBe(200);
      }),
    );
    counts.balances?.push(
      await statementsFor(async () => {
        const url = `/groups/${groupId}/balances`;
        expect((await t.call("GET", url, undefined, { as: payer })).status).toBe(200);
      }),
    );
    counts.delete?.push(
      await statementsFor(async () => {
        expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: payer })).status).toBe(
          204,
        );
      }),
    );
  }
  console.log("group statements per request for [2, 1000] participants:", JSON.stringify(counts));
  for (const [op, [small, large]] of Object.entries(counts)) {
    expect(small, op).toBeGreaterThan(0);
    expect(large, op).toBe(small);
    // The same constant as between friends plus the group's lock-and-membership read and its
    // balance upsert.
    expect(large, op).toBeLessThanOrEqual(18);
  }
});

it("a two-payer ITEMIZED expense costs the same statements for 3 or 1000 people and 3 or 500 items", async () => {
  const payer = await t.user("Payer");
  const ids = await bulkUsers(1000, payer, "i");
  expect((await t.call("GET", "/auth/me", undefined, { as: payer })).status).toBe(200);
  const creates: number[] = [];
  for (const n of [2, 999]) {
    const people = ids.slice(0, n);
    // One item each for up to 499 people (the limit is 500 items), plus one shared by everyone
    // (payer included: at most 1000 people); two payers.
    const own = people.slice(0, 499);
    const body = {
      payers: [
        { userid: payer, amount: "60.00" },
        { userid: people[0], amount: `${own.length * 10 + 100 + 15 - 60}.00` },
      ],
      amount: `${own.length * 10 + 100 + 15}.00`,
      split_type: "ITEMIZED",
      items: [
        ...own.map((id, i) => ({
          description: `item ${i}`,
          amount: "10.00",
          participants: [id],
        })),
        { description: "shared", amount: "100.00", participants: [payer, ...people] },
      ],
      tax: "10.00",
      tip: "5.00",
      description: "itemized bulk",
    };
    creates.push(
      await statementsFor(async () => {
        const res = await t.call("POST", "/expenses", body, { as: payer });
        expect(res.status, JSON.stringify(res.body.errors)).toBe(201);
        expect(res.body.items).toHaveLength(own.length + 1);
      }),
    );
  }
  console.log(
    "statements per two-payer ITEMIZED create for [3, 1000] people:",
    JSON.stringify(creates),
  );
  const [small, large] = creates;
  expect(small).toBeGreaterThan(0);
  expect(large).toBe(small);
  expect(large).toBeLessThanOrEqual(16);
});
