import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { anonymousSession, postForm } from "../security/page-forms.js";
import { pageSuite } from "./page-suite.js";

/** Issue 18 on the forms: amounts as people write them, every error at once, invite by email. */
let t: TestApp;
let a: number;
let b: number;

const suite = pageSuite({ users: ["Asha", "Bela"] });
beforeEach(() => {
  t = suite.t;
  [a, b] = suite.users;
});

const { get, post } = suite;
const expenseForm = (over: Record<string, string | string[]> = {}) => ({
  _csrf: "",
  description: "Dinner",
  amount: "300",
  date: "2026-11-20",
  paid_by: String(a),
  split_type: "EQUAL",
  row: [String(a), String(b)],
  participant: [String(a), String(b)],
  ...over,
});
const count = async (table: string) => {
  const r = (await t.db.db.execute(
    sql.raw(`select count(*)::int as n from ${table}`),
  )) as unknown as {
    rows: { n: number }[];
  };
  return r.rows[0]?.n;
};
const apiExpense = async (id: number) =>
  (await t.call("GET", `/expenses/${id}`, undefined, { as: a })).body as {
    amount: number;
    participants: { userid: number; amount: number }[];
  };

describe("amounts as people write them (forms only)", () => {
  test.each([
    ["1,000", 1000],
    ["1,00,000.50", 100000.5],
    ["100,000.50", 100000.5],
    ["₹500", 500],
    ["₹ 1,200.00", 1200],
  ])("%s is saved as %d", async (typed, amount) => {
    const res = await post("/app/expenses/new", expenseForm({ amount: typed }), a);
    expect(res.statusCode).toBe(303);
    expect((await apiExpense(1)).amount).toBe(amount);
  });

  test("EXACT values with grouping and ₹; a mismatch names both sums in ₹ with grouping", async () => {
    const ok = await post(
      "/app/expenses/new",
      expenseForm({
        amount: "₹1,100.50",
        split_type: "EXACT",
        [`value_${a}`]: "1,000",
        [`value_${b}`]: "₹100.50",
      }),
      a,
    );
    expect(ok.statusCode).toBe(303);
    expect((await apiExpense(1)).participants.map((p) => p.amount)).toEqual([1000, 100.5]);
    const bad = await post(
      "/app/expenses/new",
      expenseForm({
        amount: "1,100.50",
        split_type: "EXACT",
        [`value_${a}`]: "1,100",
        [`value_${b}`]: "100",
      }),
      a,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("Must add up to ₹1,100.50; they add up to ₹1,200.00.");
  });

  test("inconsistent grouping is refused with its own message, and nothing is saved", async () => {
    const res = await post("/app/expenses/new", expenseForm({ amount: "1,0,0" }), a);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(
      'id="e-amount">Has digit grouping that is neither 1,00,000 nor 100,000.',
    );
    expect(res.body).toContain('value="1,0,0"');
    expect(await count("expenses")).toBe(0);
  });

  test("the JSON API stays strict", async () => {
    const res = await t.call(
      "POST",
      "/expenses",
      { paid_by: a, amount: "1,000", split_type: "EQUAL", participants: [a, b], description: "x" },
      { as: a },
    );
    expect(res.status).toBe(422);
  });

  test("settle up reads ₹ and grouping too", async () => {
    await post("/app/expenses/new", expenseForm({ amount: "3,000" }), a);
    const res = await post(
      "/app/settle",
      { _csrf: "", direction: "paid", other: String(a), amount: "₹1,500" },
      b,
    );
    expect(res.statusCode).toBe(303);
    const balances = await t.call("GET", `/users/${b}/balances`, undefined, { as: b });
    expect(JSON.stringify(balances.body)).not.toContain("1500");
  });
});

describe("every error at once", () => {
  test("an empty add-expense form lists description, amount and participants together", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({ description: "", amount: "", participant: [] }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="e-description"');
    expect(res.body).toContain('id="e-amount"');
    expect(res.body).toContain('id="e-participants"');
    expect(res.body).toContain("Please fix these:");
  });

  test("the pages' own rule (someone to share with) joins the other messages", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({ description: "", participant: [String(a)] }),
      a,
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="e-description"');
    expect(res.body).toContain("add at least one other person to share this with");
  });

  test("sign-up lists the empty password with the other problems", async () => {
    const res = await postForm(t, await anonymousSession(t), "/signup", {
      name: "",
      email: "x",
      mobile_number: "1",
      password: "",
    });
    expect(res.statusCode).toBe(422);
    for (const f of ["name", "email", "mobile_number", "password"])
      expect(res.body).toContain(`id="e-${f}"`);
  });
});

describe("invite from the expense form", () => {
  test("an unknown email offers the invitation; a name invites them and adds a ticked row", async () => {
    const offer = await post(
      "/app/expenses/new",
      expenseForm({ email: "chetan@example.com", action: "add_person" }),
      a,
    );
    expect(offer.statusCode).toBe(200);
    expect(offer.body).toContain("Nobody uses chetan@example.com yet");
    expect(offer.body).toContain('name="invite_name"');
    // Saving with that address typed is refused (the person is not on the form yet).
    const save = await post("/app/expenses/new", expenseForm({ email: "chetan@example.com" }), a);
    expect(save.statusCode).toBe(422);
    expect(save.body).toContain('id="e-email">Nobody uses this email yet');
    expect(await count("users")).toBe(2);

    const invited = await post(
      "/app/expenses/new",
      expenseForm({ email: "chetan@example.com", invite_name: "Chetan", action: "invite_person" }),
      a,
    );
    expect(invited.statusCode).toBe(200);
    expect(invited.body).toContain("Invited Chetan");
    const users = await t.call("GET", "/users?email=chetan@example.com", undefined, { as: a });
    const chetan = (users.body as { items: { userid: number; claimed: boolean }[] }).items[0];
    expect(chetan?.claimed).toBe(false);
    expect(invited.body).toMatch(
      new RegExp(`name="participant" value="${chetan?.userid}" checked`),
    );
    const mails = (await t.db.db.execute(
      sql`select kind, recipient_id from outbox where kind = 'account.invitation'`,
    )) as unknown as { rows: { recipient_id: number }[] };
    expect(mails.rows.map((r) => r.recipient_id)).toEqual([chetan?.userid]);
    expect(await count("expenses")).toBe(0);
  });

  test("inviting without a name asks for it; a bad address is refused", async () => {
    const noName = await post(
      "/app/expenses/new",
      expenseForm({ email: "dev@example.com", action: "invite_person" }),
      a,
    );
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('id="e-invite_name">Give their name to invite them');
    const bad = await post(
      "/app/expenses/new",
      expenseForm({ email: "not-an-email", invite_name: "X", action: "invite_person" }),
      a,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="e-email"');
    expect(await count("users")).toBe(2);
  });

  test("the equal shares are shown as they will be saved", async () => {
    const res = await post(
      "/app/expenses/new",
      expenseForm({ amount: "100", description: "", participant: [String(a), String(b)] }),
      a,
    );
    expect(res.body).toContain("₹50.00");
    const page = await get("/app/expenses/new", a);
    expect(page.statusCode).toBe(200);
  });
});

describe("settle up: more than is owed asks first", () => {
  test("paying more than owed shows the warning with the flipped balance; Record anyway records it", async () => {
    await post("/app/expenses/new", expenseForm({ amount: "480.28" }), a); // Bela owes ₹240.14
    const form = { _csrf: "", direction: "paid", other: String(a), amount: "500" };
    const ask = await post("/app/settle", form, b);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain("You owe Asha");
    expect(ask.body).toMatch(/₹240\.14; paying ₹500\.00 makes Asha \S+ owe you ₹259\.86/);
    expect(ask.body).toContain("Record anyway");
    expect(await count("settlements")).toBe(0);
    const confirm = /name="confirm" value="([^"]+)"/.exec(ask.body)?.[1] ?? "";
    // A confirmation for another amount does not carry over.
    const other = await post("/app/settle", { ...form, amount: "600", confirm }, b);
    expect(other.statusCode).toBe(200);
    expect(await count("settlements")).toBe(0);
    const done = await post("/app/settle", { ...form, confirm }, b);
    expect(done.statusCode).toBe(303);
    expect(await count("settlements")).toBe(1);
  });

  test("paying what is owed or less records at once; errors come together", async () => {
    await post("/app/expenses/new", expenseForm({ amount: "480.28" }), a);
    const ok = await post(
      "/app/settle",
      { _csrf: "", direction: "paid", other: String(a), amount: "₹240.14" },
      b,
    );
    expect(ok.statusCode).toBe(303);
    const bad = await post(
      "/app/settle",
      { _csrf: "", direction: "paid", other: "", amount: "1,0,0" },
      b,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="e-other"');
    expect(bad.body).toContain('id="e-amount"');
  });
});

describe("friends page", () => {
  test("lists the people you know with their balance; a person's page shows expenses and settlements", async () => {
    await post("/app/expenses/new", expenseForm({ amount: "1,000" }), a);
    await post("/app/settle", { _csrf: "", direction: "paid", other: String(a), amount: "200" }, b);
    const list = await get("/app/friends", a);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/app/friends"');
    expect(list.body).toMatch(/owes you <strong>₹300\.00<\/strong>/);
    const page = await get(`/app/friends/${b}`, a);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/owes you <strong>₹300\.00<\/strong>/);
    expect(page.body).toContain("Dinner");
    expect(page.body).toMatch(/Bela[^<]* paid you/);
    // Someone you do not know is a 404 page, like an unknown id.
    const stranger = await t.stranger("Zed");
    expect((await get(`/app/friends/${stranger}`, a)).statusCode).toBe(404);
    expect((await get("/app/friends/999999", a)).statusCode).toBe(404);
  });

  test("add by email, or invite with a name; unknown email without a name asks for it", async () => {
    const dev = await t.user("Dev");
    const devEmail = (await t.call("GET", `/users/${dev}`, undefined, { as: dev })).body
      .email as string;
    const added = await post("/app/friends", { _csrf: "", email: devEmail, name: "" }, a);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/app/friends/${dev}`);
    const ask = await post("/app/friends", { _csrf: "", email: "esha@example.com", name: "" }, a);
    expect(ask.statusCode).toBe(422);
    expect(ask.body).toContain('id="e-name">Nobody uses this email yet');
    const before = await count("users");
    const invited = await post(
      "/app/friends",
      { _csrf: "", email: "esha@example.com", name: "Esha" },
      a,
    );
    expect(invited.statusCode).toBe(303);
    expect(await count("users")).toBe((before ?? 0) + 1);
    const list = await get("/app/friends", a);
    expect(list.body).toContain("Esha");
    expect(list.body).toMatch(/person zero[^>]*>\s*<a class="name"[^>]*>Esha/);
  });
});
