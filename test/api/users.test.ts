import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => t.db.reset());

const alice = { name: "Alice", email: "alice@example.com", mobile_number: 919876543210 };

describe("POST /users", () => {
  it("registers a user and returns the seed's shape", async () => {
    const res = await t.call("POST", "/users", alice);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userid: expect.any(Number),
      name: "Alice",
      email: "alice@example.com",
      mobile_number: "919876543210",
      active: true,
    });
    const got = await t.call("GET", `/users/${res.body.userid}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("accepts the mobile number as a string with a leading +", async () => {
    const res = await t.call("POST", "/users", { ...alice, mobile_number: "+14155550123" });
    expect(res.status).toBe(201);
    expect(res.body.mobile_number).toBe("+14155550123");
  });

  it("refuses a duplicate email case-insensitively with 409 and creates nothing", async () => {
    expect((await t.call("POST", "/users", alice)).status).toBe(201);
    const res = await t.call("POST", "/users", { ...alice, email: "ALICE@Example.com" });
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: "email", message: expect.any(String) }]);
    const list = await t.call("GET", "/users");
    expect(list.body.items).toHaveLength(1);
  });

  it.each([
    [{ ...alice, mobile_number: "12ab45678" }, "mobile_number"],
    [{ ...alice, mobile_number: "+1234567890123456" }, "mobile_number"],
    [{ ...alice, mobile_number: 123 }, "mobile_number"],
    [{ ...alice, email: "not-an-email" }, "email"],
    [{ ...alice, name: "   " }, "name"],
    [{ ...alice, name: "a\u0000b" }, "name"],
    [{ ...alice, admin: true }, "admin"],
    [{ name: "Bob", email: "bob@example.com" }, "mobile_number"],
  ])("rejects %j with a 400 naming %s", async (body, field) => {
    const res = await t.call("POST", "/users", body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 400,
      type: expect.any(String),
      title: expect.any(String),
    });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await t.call("GET", "/users")).body.items).toHaveLength(0);
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
    const res = await t.call("POST", "/users", { ...alice, name: "x".repeat(2_000_000) });
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
  });
});

describe("GET /users", () => {
  it("paginates with a cursor and searches by name or email prefix", async () => {
    for (const n of ["Asha", "Arjun", "Bela", "Chetan", "anil"]) {
      await t.call("POST", "/users", {
        name: n,
        email: `${n.toLowerCase()}@x.in`,
        mobile_number: "9999999999",
      });
    }
    const first = await t.call("GET", "/users?limit=2");
    expect(first.body.items.map((u: { name: string }) => u.name)).toEqual(["Asha", "Arjun"]);
    const second = await t.call("GET", `/users?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((u: { name: string }) => u.name)).toEqual(["Bela", "Chetan"]);
    const third = await t.call("GET", `/users?limit=2&cursor=${second.body.next_cursor}`);
    expect(third.body.items.map((u: { name: string }) => u.name)).toEqual(["anil"]);
    expect(third.body.next_cursor).toBeNull();

    const a = await t.call("GET", "/users?q=A");
    expect(a.body.items.map((u: { name: string }) => u.name)).toEqual(["Asha", "Arjun", "anil"]);
    const byEmail = await t.call("GET", "/users?q=bela@");
    expect(byEmail.body.items.map((u: { name: string }) => u.name)).toEqual(["Bela"]);
    // LIKE wildcards in the prefix are literal.
    expect((await t.call("GET", "/users?q=%25")).body.items).toHaveLength(0);
  });
});

describe("GET /users/{userid}", () => {
  it("404s for an unknown user and 400s for a malformed id", async () => {
    expect((await t.call("GET", "/users/999")).status).toBe(404);
    expect((await t.call("GET", "/users/abc")).status).toBe(400);
    expect((await t.call("GET", "/users/99999999999")).status).toBe(400);
  });
});

describe("DELETE /users/{userid}", () => {
  it("refuses while a balance is non-zero, then deactivates once settled", async () => {
    const a = await t.user("A");
    const b = await t.user("B");
    await t.call("POST", "/expenses", {
      paid_by: a,
      amount: "10.00",
      split_type: "EQUAL",
      participants: [a, b],
      description: "tea",
    });
    for (const id of [a, b]) {
      const res = await t.call("DELETE", `/users/${id}`);
      expect(res.status).toBe(409);
      expect((await t.call("GET", `/users/${id}`)).body.active).toBe(true);
    }
    const settle = await t.call("POST", "/settlements", {
      from_user: b,
      to_user: a,
      amount: "5.00",
    });
    expect(settle.status).toBe(201);
    expect((await t.call("DELETE", `/users/${b}`)).status).toBe(204);
    const got = await t.call("GET", `/users/${b}`);
    expect(got.body.active).toBe(false);
    // History keeps the deactivated user.
    const history = await t.call("GET", `/users/${a}/expenses`);
    expect(history.body.items[0].participants.map((p: { userid: number }) => p.userid)).toContain(
      b,
    );
    // A deactivated user is not listed and cannot join new expenses.
    expect(
      (await t.call("GET", "/users")).body.items.map((u: { userid: number }) => u.userid),
    ).toEqual([a]);
    const res = await t.call("POST", "/expenses", {
      paid_by: a,
      amount: 1,
      split_type: "EQUAL",
      participants: [a, b],
      description: "late",
    });
    expect(res.status).toBe(422);
  });

  it("404s for an unknown user", async () => {
    expect((await t.call("DELETE", "/users/42")).status).toBe(404);
  });
});
