import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

/**
 * Personal data by user id: only people who know each other (friends, invitations, shared
 * expenses; src/db/repos/knows.ts) see each other's email and mobile number or put each other
 * into expenses and settlements. Strangers are answered exactly like ids that do not exist.
 */
let t: TestApp;
let a: number;
let s: number; // a stranger to a

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.db.reset();
  a = await t.user("Asha");
  s = await t.stranger("Sunil");
});

const expense = (participants: number[], paid_by = a) => ({
  paid_by,
  amount: "100.00",
  split_type: "EQUAL",
  participants,
  description: "Dinner",
});

/** A problem with the one id in it replaced, so two problems about different ids compare. */
function shape(body: Record<string, unknown>, id: number) {
  return JSON.parse(
    JSON.stringify({ ...body, instance: undefined, request_id: undefined }).replaceAll(
      new RegExp(`\\b${id}\\b`, "g"),
      "ID",
    ),
  );
}

async function tableCounts() {
  const r = (await t.db.db.execute(sql`select
    (select count(*) from expenses)::int as expenses,
    (select count(*) from settlements)::int as settlements,
    (select count(*) from pair_balances)::int as pairs,
    (select count(*) from friendships)::int as friendships`)) as unknown as {
    rows: Record<string, number>[];
  };
  return r.rows[0];
}

const nameOf = async (id: number) =>
  (await t.call("GET", `/users/${id}`, undefined, { as: id })).body.name as string;

describe("the attack: a stranger's id as a participant", () => {
  it("is refused exactly like an id that does not exist, and their details stay hidden", async () => {
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(404);
    const before = await tableCounts();
    const stranger = await t.call("POST", "/expenses", expense([a, s]), { as: a });
    const missing = await t.call("POST", "/expenses", expense([a, 999_999]), { as: a });
    expect(stranger.status).toBe(422);
    expect(missing.status).toBe(422);
    expect(shape(stranger.body, s)).toEqual(shape(missing.body, 999_999));
    expect(stranger.body.errors).toEqual([
      { field: "participants[1]", message: `user ${s} is unknown: add them as a friend first` },
    ]);
    // As payer, too; and a deactivated stranger is no different.
    const asPayer = await t.call("POST", "/expenses", expense([a], s), { as: a });
    const payerMissing = await t.call("POST", "/expenses", expense([a], 999_999), { as: a });
    expect(shape(asPayer.body, s)).toEqual(shape(payerMissing.body, 999_999));
    const gone = await t.stranger("Gone");
    expect((await t.call("DELETE", `/users/${gone}`, undefined, { as: gone })).status).toBe(204);
    const deactivated = await t.call("POST", "/expenses", expense([a, gone]), { as: a });
    expect(shape(deactivated.body, gone)).toEqual(shape(missing.body, 999_999));
    expect(await tableCounts()).toEqual(before);
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(404);
  });

  it("a settlement with a stranger is refused the same way", async () => {
    const res = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: s, amount: "5" },
      { as: a },
    );
    const missing = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: 999_999, amount: "5" },
      { as: a },
    );
    expect(res.status).toBe(422);
    expect(shape(res.body, s)).toEqual(shape(missing.body, 999_999));
  });

  it("exact email lookup gives a stranger's id and name only; a friend's full record", async () => {
    const email = t.emailOf(s);
    const found = await t.call("GET", `/users?email=${encodeURIComponent(email)}`, undefined, {
      as: a,
    });
    expect(found.body.items).toEqual([{ userid: s, name: await nameOf(s) }]);
    expect(JSON.stringify(found.body)).not.toContain("mobile");
    await t.call("POST", "/friends", { email }, { as: a });
    const again = await t.call("GET", `/users?email=${encodeURIComponent(email)}`, undefined, {
      as: a,
    });
    expect(again.body.items[0]).toMatchObject({
      userid: s,
      email,
      mobile_number: expect.any(String),
    });
  });
});

describe("POST /friends", () => {
  it("connects both ways by exact email: 201, then 200 on repeat (any case)", async () => {
    const email = t.emailOf(s);
    const made = await t.call("POST", "/friends", { email }, { as: a });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ userid: s, name: await nameOf(s), email });
    const repeat = await t.call("POST", "/friends", { email: email.toUpperCase() }, { as: a });
    expect(repeat.status).toBe(200);
    expect(repeat.body.userid).toBe(s);
    // Both ways: each sees the other and may split with them.
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(200);
    expect((await t.call("GET", `/users/${a}`, undefined, { as: s })).status).toBe(200);
    expect((await t.call("POST", "/expenses", expense([a, s]), { as: a })).status).toBe(201);
    const back = await t.call("POST", "/friends", { email: t.emailOf(a) }, { as: s });
    expect(back.status).toBe(200);
  });

  it("invites an unknown email given a name, as POST /users does, and connects", async () => {
    const res = await t.call(
      "POST",
      "/friends",
      { email: "new.friend@example.com", name: "Neha" },
      { as: a },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Neha", email: "new.friend@example.com" });
    const id = res.body.userid;
    const user = await t.call("GET", `/users/${id}`, undefined, { as: a });
    expect(user.body).toMatchObject({ claimed: false, mobile_number: null, active: true });
    const mail = (await t.db.db.execute(
      sql`select kind from outbox where recipient_id = ${id}`,
    )) as unknown as { rows: { kind: string }[] };
    expect(mail.rows).toEqual([{ kind: "account.invitation" }]);
    expect((await t.call("POST", "/expenses", expense([a, id]), { as: a })).status).toBe(201);
  });

  it("refuses an unknown email without a name, your own email, a deactivated user (422) and bad input (400)", async () => {
    const before = await tableCounts();
    const unknown = await t.call("POST", "/friends", { email: "nobody@example.com" }, { as: a });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: "name", message: expect.any(String) }]);
    const self = await t.call("POST", "/friends", { email: t.emailOf(a) }, { as: a });
    expect(self.status).toBe(422);
    expect(self.body.errors[0].field).toBe("email");
    const gone = await t.stranger("Gone");
    await t.call("DELETE", `/users/${gone}`, undefined, { as: gone });
    const deactivated = await t.call("POST", "/friends", { email: t.emailOf(gone) }, { as: a });
    expect(deactivated.status).toBe(422);
    for (const body of [{}, { email: "not-an-email" }, { email: t.emailOf(s), extra: 1 }])
      expect((await t.call("POST", "/friends", body, { as: a })).status).toBe(400);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("GET and DELETE /friends", () => {
  it("lists friends with what they owe you, pages with a cursor, and refuses to remove one you owe", async () => {
    await t.call("POST", "/friends", { email: t.emailOf(s) }, { as: a });
    const c = await t.user("Chetan"); // a fixture friend of a's
    expect((await t.call("POST", "/expenses", expense([a, s]), { as: a })).status).toBe(201);
    const mine = await t.call("GET", "/friends", undefined, { as: a });
    expect(mine.body).toEqual({
      items: [
        {
          userid: s,
          name: await nameOf(s),
          email: t.emailOf(s),
          balance: 50,
          balances: [{ currency: "INR", amount: 50 }],
        },
        { userid: c, name: await nameOf(c), email: t.emailOf(c), balance: 0, balances: [] },
      ],
      next_cursor: null,
    });
    const theirs = await t.call("GET", "/friends", undefined, { as: s });
    expect(theirs.body.items).toEqual([
      {
        userid: a,
        name: await nameOf(a),
        email: t.emailOf(a),
        balance: -50,
        balances: [{ currency: "INR", amount: -50 }],
      },
    ]);
    const page1 = await t.call("GET", "/friends?limit=1", undefined, { as: a });
    expect(page1.body.items.map((f: { userid: number }) => f.userid)).toEqual([s]);
    const page2 = await t.call(
      "GET",
      `/friends?limit=1&cursor=${page1.body.next_cursor}`,
      undefined,
      {
        as: a,
      },
    );
    expect(page2.body.items.map((f: { userid: number }) => f.userid)).toEqual([c]);

    const refused = await t.call("DELETE", `/friends/${s}`, undefined, { as: a });
    expect(refused.status).toBe(409);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect((await t.call("GET", "/friends", undefined, { as: a })).body.items).toHaveLength(2);
    await t.call("POST", "/settlements", { from_user: s, to_user: a, amount: "50" }, { as: s });
    expect((await t.call("DELETE", `/friends/${s}`, undefined, { as: a })).status).toBe(204);
    expect((await t.call("DELETE", `/friends/${s}`, undefined, { as: a })).status).toBe(404);
    expect((await t.call("GET", "/friends", undefined, { as: s })).body.items).toEqual([]);
    // No longer friends, but they shared an expense: still known to each other.
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(200);
  });

  it("a deleted expense still counts as shared", async () => {
    await t.call("POST", "/friends", { email: t.emailOf(s) }, { as: a });
    const e = await t.call("POST", "/expenses", expense([a, s]), { as: a });
    await t.call("DELETE", `/expenses/${e.body.expenseid}`, undefined, { as: a });
    expect((await t.call("DELETE", `/friends/${s}`, undefined, { as: a })).status).toBe(204);
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(200);
    expect((await t.call("POST", "/expenses", expense([a, s]), { as: a })).status).toBe(201);
  });
  it("friends who only settled and then unfriend are strangers again (a balance row is no tie)", async () => {
    await t.call("POST", "/friends", { email: t.emailOf(s) }, { as: a });
    const pay = (from: number, to: number) =>
      t.call("POST", "/settlements", { from_user: from, to_user: to, amount: "20" }, { as: from });
    expect((await pay(a, s)).status).toBe(201);
    expect((await pay(s, a)).status).toBe(201); // square again; the pair's row stays at zero
    expect((await t.call("DELETE", `/friends/${s}`, undefined, { as: a })).status).toBe(204);
    expect((await t.call("GET", `/users/${s}`, undefined, { as: a })).status).toBe(404);
    expect((await t.call("POST", "/expenses", expense([a, s]), { as: a })).status).toBe(422);
    expect((await pay(a, s)).status).toBe(422);
  });
});

describe("the simplify exception", () => {
  /** x owes b 10 and b owes y 10: x's plan pays y directly, though x and y are strangers. */
  async function chain() {
    const x = await t.stranger("Xavier");
    const b = await t.stranger("Bela");
    const y = await t.stranger("Yamini");
    await t.call("POST", "/friends", { email: t.emailOf(x) }, { as: b });
    await t.call("POST", "/friends", { email: t.emailOf(y) }, { as: b });
    await t.call("POST", "/expenses", expense([x], b), { as: b }); // x owes b 100
    await t.call("POST", "/expenses", expense([b], y), { as: b }); // b owes y 100
    return { x, b, y };
  }

  it("a plan names whom to pay by name only; settling along it makes the two known", async () => {
    const { x, y } = await chain();
    const plan = await t.call("GET", `/users/${x}/balances?simplify=true`, undefined, { as: x });
    expect(plan.body.balances).toEqual([
      { to_user: y, name: await nameOf(y), amount: 100, currency: "INR" },
    ]);
    expect(JSON.stringify(plan.body)).not.toContain(t.emailOf(y));
    const collect = await t.call("GET", `/users/${y}/balances?simplify=true`, undefined, { as: y });
    expect(collect.body.owed_by).toEqual([
      { from_user: x, name: await nameOf(x), amount: 100, currency: "INR" },
    ]);
    expect((await t.call("GET", `/users/${y}`, undefined, { as: x })).status).toBe(404);

    const paid = await t.call(
      "POST",
      "/settlements",
      { from_user: x, to_user: y, amount: "40" },
      { as: x },
    );
    expect(paid.status).toBe(201);
    expect((await t.call("GET", `/users/${y}`, undefined, { as: x })).status).toBe(200);
    expect((await t.call("GET", `/users/${x}`, undefined, { as: y })).status).toBe(200);
  });

  it("a settlement against the plan, or with a stranger not on it, is refused like an unknown id", async () => {
    const { x, y } = await chain();
    const z = await t.stranger("Zoya");
    const before = await tableCounts();
    const missing = await t.call(
      "POST",
      "/settlements",
      { from_user: x, to_user: 999_999, amount: "10" },
      { as: x },
    );
    // y → x is against x's plan (x is to pay y), whoever records it.
    const against = await t.call(
      "POST",
      "/settlements",
      { from_user: y, to_user: x, amount: "10" },
      { as: x },
    );
    expect(against.status).toBe(422);
    expect(shape(against.body, y)).toEqual(
      shape(
        { ...missing.body, errors: [{ ...missing.body.errors[0], field: "from_user" }] },
        999_999,
      ),
    );
    const againstByY = await t.call(
      "POST",
      "/settlements",
      { from_user: y, to_user: x, amount: "10" },
      { as: y },
    );
    expect(againstByY.status).toBe(422);
    const notOnPlan = await t.call(
      "POST",
      "/settlements",
      { from_user: x, to_user: z, amount: "10" },
      { as: x },
    );
    expect(shape(notOnPlan.body, z)).toEqual(shape(missing.body, 999_999));
    expect(await tableCounts()).toEqual(before);
  });

  it("the pages: the dashboard's plan and the settle-up page name plan strangers, by name only", async () => {
    const { x, y } = await chain();
    const session = await t.pageSession(x);
    const dash = await t.app.inject({
      method: "GET",
      url: "/app?simplify=1",
      headers: { cookie: session.cookie },
    });
    expect(dash.body).toContain(await nameOf(y));
    expect(dash.body).not.toContain(t.emailOf(y));
    const settle = await t.app.inject({
      method: "GET",
      url: "/app/settle",
      headers: { cookie: session.cookie },
    });
    expect(settle.body).toContain(`<option value="${y}"`);
    expect(settle.body).not.toContain(t.emailOf(y));
    // The dashboard's "Settle up" link for them prefills the plan's transfer.
    const prefilled = await t.app.inject({
      method: "GET",
      url: `/app/settle?with=${y}`,
      headers: { cookie: session.cookie },
    });
    expect(prefilled.body).toContain('value="100.00"');
    expect(prefilled.body).toContain(`<option value="${y}" selected`);
  });
});

describe("pages never name a stranger", () => {
  it("?with=N and re-posted rows show no name of someone you do not know, and save nothing", async () => {
    const name = await nameOf(s);
    const session = await t.pageSession(a);
    const form = await t.app.inject({
      method: "GET",
      url: `/app/expenses/new?with=${s}`,
      headers: { cookie: session.cookie },
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain(name);
    const before = await tableCounts();
    const body = new URLSearchParams({
      _csrf: session.csrf,
      description: "Dinner",
      amount: "300",
      date: "2026-11-20",
      paid_by: String(a),
      split_type: "EQUAL",
    });
    for (const id of [a, s]) {
      body.append("row", String(id));
      body.append("participant", String(id));
    }
    const posted = await t.app.inject({
      method: "POST",
      url: "/app/expenses/new",
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: body.toString(),
    });
    expect(posted.statusCode).toBe(422);
    expect(posted.body).not.toContain(name);
    expect(posted.body).toContain(`user ${s} is unknown: add them as a friend first`);
    const settle = await t.app.inject({
      method: "GET",
      url: `/app/settle?with=${s}`,
      headers: { cookie: session.cookie },
    });
    expect(settle.body).not.toContain(name);
    expect(await tableCounts()).toEqual(before);
  });

  it("adding someone by exact email on the form makes them friends, then offers them", async () => {
    const session = await t.pageSession(a);
    const body = new URLSearchParams({
      _csrf: session.csrf,
      description: "Dinner",
      amount: "300",
      paid_by: String(a),
      split_type: "EQUAL",
      row: String(a),
      participant: String(a),
      email: t.emailOf(s),
      action: "add_person",
    });
    const res = await t.app.inject({
      method: "POST",
      url: "/app/expenses/new",
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: body.toString(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(await nameOf(s));
    const friends = await t.call("GET", "/friends", undefined, { as: a });
    expect(friends.body.items.map((f: { userid: number }) => f.userid)).toEqual([s]);
  });
});
