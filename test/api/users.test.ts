import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  // Many sign-ups from one client address; the per-IP limit itself is tested in test/auth.
  t = await startTestApp({ env: { SIGNUP_RATE_LIMIT: "1000" } });
});
afterAll(async () => t.close());
beforeEach(async () => t.db.reset());

const alice = { name: "Alice", email: "alice@example.com", mobile_number: 919876543210 };
/** Passes the password policy and contains no test user's name or email. */
const PASSWORD = "a-long-unusual-passphrase-42";
/** With a password, POST /users is a public sign-up; without one it is an invitation. */
const aliceSignUp = { ...alice, password: PASSWORD };

async function userCount(): Promise<number> {
  const r = (await t.db.db.execute(sql`select count(*)::int as n from users`)) as unknown as {
    rows: { n: number }[];
  };
  return r.rows[0]?.n ?? -1;
}

/** Logs a signed-up user in; the headers authenticate their requests. */
async function logIn(email: string): Promise<Record<string, string>> {
  const res = await t.call("POST", "/auth/token", { email, password: PASSWORD });
  expect(res.status).toBe(201);
  return { authorization: `Bearer ${res.body.token}` };
}

const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((u) => u.name);

describe("POST /users", () => {
  it("registers a user and returns the seed's shape", async () => {
    const res = await t.call("POST", "/users", aliceSignUp);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userid: expect.any(Number),
      name: "Alice",
      email: "alice@example.com",
      mobile_number: "919876543210",
      active: true,
      claimed: true,
    });
    const headers = await logIn(alice.email);
    const got = await t.call("GET", `/users/${res.body.userid}`, undefined, { headers });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("accepts the mobile number as a string with a leading +", async () => {
    const res = await t.call("POST", "/users", { ...aliceSignUp, mobile_number: "+14155550123" });
    expect(res.status).toBe(201);
    expect(res.body.mobile_number).toBe("+14155550123");
  });

  it("refuses a duplicate email case-insensitively with 409 and creates nothing", async () => {
    const inviter = await t.user("Inviter");
    expect((await t.call("POST", "/users", aliceSignUp)).status).toBe(201);
    const duplicates = [
      { body: { ...aliceSignUp, email: "ALICE@Example.com" }, as: undefined }, // sign-up
      { body: { ...alice, email: "ALICE@Example.com" }, as: inviter }, // invitation
    ];
    for (const { body, as } of duplicates) {
      const res = await t.call("POST", "/users", body, { as });
      expect(res.status).toBe(409);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: "email", message: expect.any(String) }]);
    }
    expect(await userCount()).toBe(2); // the inviter and Alice
    // The refused invitation did not add anyone to the inviter's people either.
    const list = await t.call("GET", "/users", undefined, { as: inviter });
    expect(list.body.items.map((u: { userid: number }) => u.userid)).toEqual([inviter]);
  });

  it.each([
    [{ ...aliceSignUp, mobile_number: "12ab45678" }, "mobile_number"],
    [{ ...aliceSignUp, mobile_number: "+1234567890123456" }, "mobile_number"],
    [{ ...aliceSignUp, mobile_number: 123 }, "mobile_number"],
    [{ ...aliceSignUp, email: "not-an-email" }, "email"],
    [{ ...aliceSignUp, name: "   " }, "name"],
    [{ ...aliceSignUp, name: "a\u0000b" }, "name"],
    [{ ...aliceSignUp, admin: true }, "admin"],
    [{ name: "Bob", email: "bob@example.com", password: PASSWORD }, "mobile_number"],
  ])("rejects %j with a 400 naming %s", async (body, field) => {
    const res = await t.call("POST", "/users", body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 400,
      type: expect.any(String),
      title: expect.any(String),
    });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await userCount()).toBe(0);
  });

  it("answers malformed JSON with a 400 problem", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/users",
      headers: { "content-type": "application/json" },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
  });

  it("answers a body over the size limit with 413", async () => {
    const res = await t.call("POST", "/users", { ...aliceSignUp, name: "x".repeat(2_000_000) });
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
  });
});

describe("GET /users", () => {
  it("paginates with a cursor and searches by name or email prefix", async () => {
    // The list holds the people you know: yourself and, here, the friends you invited.
    const me = await t.user("Inviter");
    for (const n of ["Asha", "Arjun", "Bela", "Chetan", "anil"]) {
      const res = await t.call(
        "POST",
        "/users",
        { name: n, email: `${n.toLowerCase()}@x.in`, mobile_number: "9999999999" },
        { as: me },
      );
      expect(res.status).toBe(201);
    }
    const get = (url: string) => t.call("GET", url, undefined, { as: me });
    const first = await get("/users?limit=2");
    expect(names(first)).toEqual([expect.stringMatching(/^Inviter/), "Asha"]);
    const second = await get(`/users?limit=2&cursor=${first.body.next_cursor}`);
    expect(names(second)).toEqual(["Arjun", "Bela"]);
    const third = await get(`/users?limit=2&cursor=${second.body.next_cursor}`);
    expect(names(third)).toEqual(["Chetan", "anil"]);
    expect(third.body.next_cursor).toBeNull();

    expect(names(await get("/users?q=A"))).toEqual(["Asha", "Arjun", "anil"]);
    expect(names(await get("/users?q=bela@"))).toEqual(["Bela"]);
    // LIKE wildcards in the prefix are literal.
    expect((await get("/users?q=%25")).body.items).toHaveLength(0);

    // Someone who knows none of them finds them only by exact email.
    const stranger = await t.user("Stranger");
    expect(names(await t.call("GET", "/users?q=A", undefined, { as: stranger }))).toEqual([]);
    const exact = await t.call("GET", "/users?email=bela@x.in", undefined, { as: stranger });
    expect(names(exact)).toEqual(["Bela"]);
  });
});

describe("GET /users/{userid}", () => {
  it("404s for an unknown user and 400s for a malformed id", async () => {
    const me = await t.user("Me");
    const get = (url: string) => t.call("GET", url, undefined, { as: me });
    expect((await get("/users/999")).status).toBe(404);
    expect((await get("/users/abc")).status).toBe(400);
    expect((await get("/users/99999999999")).status).toBe(400);
    // Someone you do not know is as unknown as a missing user.
    const stranger = await t.stranger("Stranger");
    expect((await get(`/users/${stranger}`)).status).toBe(404);
  });
});

describe("DELETE /users/{userid}", () => {
  it("refuses while a balance is non-zero, then deactivates once settled", async () => {
    const a = await t.user("A");
    const b = await t.user("B");
    await t.call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: "10.00",
        split_type: "EQUAL",
        participants: [a, b],
        description: "tea",
      },
      { as: a },
    );
    for (const id of [a, b]) {
      const res = await t.call("DELETE", `/users/${id}`, undefined, { as: id });
      expect(res.status).toBe(409);
      expect((await t.call("GET", `/users/${id}`, undefined, { as: id })).body.active).toBe(true);
    }
    const settle = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "5.00" },
      { as: b },
    );
    expect(settle.status).toBe(201);
    expect((await t.call("DELETE", `/users/${b}`, undefined, { as: b })).status).toBe(204);
    const got = await t.call("GET", `/users/${b}`, undefined, { as: a });
    expect(got.status).toBe(200);
    expect(got.body.active).toBe(false);
    // History keeps the deactivated user.
    const history = await t.call("GET", `/users/${a}/expenses`, undefined, { as: a });
    expect(history.body.items[0].participants.map((p: { userid: number }) => p.userid)).toContain(
      b,
    );
    // A deactivated user is not listed and cannot join new expenses.
    expect(
      (await t.call("GET", "/users", undefined, { as: a })).body.items.map(
        (u: { userid: number }) => u.userid,
      ),
    ).toEqual([a]);
    const res = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: 1, split_type: "EQUAL", participants: [a, b], description: "late" },
      { as: a },
    );
    expect(res.status).toBe(422);
  });

  it("refuses while a balance in a group is non-zero, even when the overall balance is zero", async () => {
    const a = await t.user("A");
    const b = await t.user("B");
    const g = (await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a })).body
      .groupid;
    const spent = await t.call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: "10.00",
        split_type: "EQUAL",
        participants: [a, b],
        description: "tea",
        group_id: g,
      },
      { as: a },
    );
    expect(spent.status, JSON.stringify(spent.body)).toBe(201);
    // Settled outside the group: nothing is owed overall, but the group still says B owes A 5.
    const settle = await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "5.00" },
      { as: b },
    );
    expect(settle.status).toBe(201);
    expect((await t.call("GET", `/users/${a}/balances`, undefined, { as: a })).body.nets).toEqual(
      [],
    );
    for (const id of [a, b]) {
      const res = await t.call("DELETE", `/users/${id}`, undefined, { as: id });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain(`group ${g}`);
      expect((await t.call("GET", `/users/${id}`, undefined, { as: id })).body.active).toBe(true);
    }
    // Once the group is square too (a group payment back, and one outside to undo the first).
    for (const body of [
      { from_user: b, to_user: a, amount: "5.00", group_id: g },
      { from_user: a, to_user: b, amount: "5.00" },
    ])
      expect((await t.call("POST", "/settlements", body, { as: a })).status).toBe(201);
    expect((await t.call("DELETE", `/users/${b}`, undefined, { as: b })).status).toBe(204);
  });

  it("404s for an unknown user", async () => {
    const me = await t.user("Me");
    expect((await t.call("DELETE", "/users/42", undefined, { as: me })).status).toBe(404);
  });
});
