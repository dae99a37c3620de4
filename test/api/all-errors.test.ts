import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/** The API's `errors` list names every field's problem in one response (issue 18, item 5). */
let t: TestApp;
let a: number;
let b: number;
const suite = appSuite({ users: ["A", "B"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const expense = (over: Record<string, unknown> = {}) => ({
  paid_by: a,
  amount: "100.00",
  split_type: "EQUAL",
  participants: [a, b],
  description: "Dinner",
  ...over,
});

type Problem = { errors?: { field: string; message: string }[] };
const fields = (body: unknown) => ((body as Problem).errors ?? []).map((e) => e.field).sort();

describe("every problem at once", () => {
  it("an amount with 3 decimals and a repeated participant: both listed (422)", async () => {
    const res = await t.call(
      "POST",
      "/expenses",
      expense({ amount: "10.005", participants: [a, b, b] }),
      { as: a },
    );
    expect(res.status).toBe(422);
    expect(fields(res.body)).toEqual(["amount", "participants"]);
  });

  it("a bad EXACT value and a repeated participant: both listed", async () => {
    const res = await t.call(
      "POST",
      "/expenses",
      expense({ split_type: "EXACT", split_values: ["1.234", "50"], participants: [a, a] }),
      { as: a },
    );
    expect(res.status).toBe(422);
    expect(fields(res.body)).toEqual(["participants", "split_values[0]"]);
  });

  it("schema problems and rule problems together: an empty description joins them (400)", async () => {
    const res = await t.call(
      "POST",
      "/expenses",
      expense({ description: "", amount: "1.999", participants: [a, b, b] }),
      { as: a },
    );
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["amount", "description", "participants"]);
  });

  it("a schema problem alone stays as it was (no rule noise)", async () => {
    const res = await t.call("POST", "/expenses", expense({ description: "" }), { as: a });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["description"]);
  });

  it("PUT lists them all too, and nothing changes", async () => {
    const made = await t.call("POST", "/expenses", expense(), { as: a });
    const id = (made.body as { expenseid: number }).expenseid;
    const res = await t.call(
      "PUT",
      `/expenses/${id}`,
      expense({ description: "", split_type: "PERCENTAGE", split_values: [50, 49] }),
      { as: a },
    );
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["description", "split_values"]);
    const again = await t.call("GET", `/expenses/${id}`, undefined, { as: a });
    expect((again.body as { description: string }).description).toBe("Dinner");
  });

  it("a NUL in the description does not hide the other fields' problems (400, all listed)", async () => {
    const before = await tableChecksum(t.db);
    const res = await t.call(
      "POST",
      "/expenses",
      expense({ description: "Din\u0000ner", amount: "1.999", participants: [a, b, b] }),
      { as: a },
    );
    // Control characters are a schema problem, so the mix keeps the schema's 400 (README "Errors").
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["amount", "description", "participants"]);
    expect(await tableChecksum(t.db)).toBe(before);
  });

  it("a control character alone is one 400 message, a bad amount alone a 422", async () => {
    const tab = await t.call("POST", "/expenses", expense({ description: "\t" }), { as: a });
    expect(tab.status).toBe(400);
    // Not also "must not be empty": the tab is refused, not trimmed away.
    expect((tab.body as Problem).errors).toEqual([
      { field: "description", message: "must be a single line without control characters" },
    ]);
    const amount = await t.call("POST", "/expenses", expense({ amount: "1.999" }), { as: a });
    expect(amount.status).toBe(422);
    expect(fields(amount.body)).toEqual(["amount"]);
  });

  it("sign-up with a line feed in the name still lists the weak password (400)", async () => {
    const res = await t.call("POST", "/users", {
      name: "Mallory\nBcc: x",
      email: "mallory@example.com",
      mobile_number: "9876500001",
      password: "short",
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["name", "password"]);
  });

  it("a settlement with a bad id and a bad amount lists both (400)", async () => {
    const res = await t.call(
      "POST",
      "/settlements",
      { from_user: "x", to_user: b, amount: "5.555" },
      { as: a },
    );
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["amount", "from_user"]);
  });

  it("sign-up lists a weak password with the other fields (400)", async () => {
    const res = await t.call("POST", "/users", {
      name: "",
      email: "not-an-email",
      mobile_number: "12",
      password: "",
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["email", "mobile_number", "name", "password"]);
  });
});
