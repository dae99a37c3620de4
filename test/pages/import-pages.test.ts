import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { largeSplitwiseCsv } from "../helpers/large-splitwise.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { pageSuite } from "./page-suite.js";

/**
 * Issue 16's pages without a browser: the import wizard's steps and refusals (each a form again
 * with its messages, nothing written), and the export downloads with the pages' access checks.
 */
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/interchange/${name}`, import.meta.url), "utf8");
const SPLITWISE = fixture("splitwise-inr.csv");
// What a browser sends from a textarea: CRLF line ends.
const PASTED = SPLITWISE.replace(/\n/g, "\r\n");

let t: TestApp;
let a: number; // Asha, who imports
let b: number; // Bela, a friend
let s: number; // a stranger
const suite = pageSuite({
  users: ["Asha", "Bela"],
  // The general body limit is below a pasted file's form: the wizard's own limit is what applies.
  env: { IMPORT_MAX_BYTES: "4096", BODY_LIMIT_BYTES: "1024" },
});
beforeEach(async () => {
  t = suite.t;
  [a, b] = suite.users;
  s = await t.stranger("Farah");
});

const { get, post } = suite;

const rows = async (q: string) =>
  ((await t.db.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
/** Everything an import writes (ledger, groups, members, imports, users). */
const snapshot = async () =>
  `${await tableChecksum(t.db)}|${JSON.stringify(await rows("select (select count(*) from groups) g, (select count(*) from group_members) m, (select count(*) from imports) i, (select count(*) from users) u"))}`;

/** The hidden fields a step's form carries on (what the next step is posted with). */
function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    if (m[1] !== "_csrf") out[m[1] as string] = (m[2] as string).replace(/&amp;/g, "&");
  return out;
}
/** The upload step posted: the people page (or the upload form again). */
const upload = (data: string, extra: Record<string, string> = {}) =>
  post("/app/groups/import/people", { format: "splitwise-csv", data, name: "Goa", ...extra }, a);
/** Asha is Asha, Ravi is Bela, Meera is invited. */
const CHOICES = () => ({
  who_0: String(a),
  who_1: String(b),
  who_2: "invite",
  invite_name_2: "Meera",
  invite_email_2: "meera@example.com",
});

describe("the import wizard", () => {
  test("the groups page leads to it; the first step works by pasting (no script needed)", async () => {
    expect((await get("/app/groups", a)).body).toContain('href="/app/groups/import"');
    const page = await get("/app/groups/import", a);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<textarea id="f-data" name="data"');
    // The file picker needs the script: hidden until app.js shows it.
    expect(page.body).toMatch(/<div class="field" data-file-pick hidden>/);
    expect(page.body).toContain('value="splitwise-csv" checked');
  });

  test("paste → who is who → preview (nothing written) → import → the group with the file's balances", async () => {
    const before = await snapshot();
    const people = await upload(PASTED);
    expect(people.statusCode, people.body).toBe(200);
    for (const name of ["Asha", "Ravi", "Meera"]) expect(people.body).toContain(`Who is ${name}?`);
    expect(people.body).toContain(`<option value="${b}">Bela`);
    expect(people.body).not.toContain("Farah");
    const carried = hidden(people.body);
    // The text travels LF-only, base64url: exactly the file's bytes.
    expect(Buffer.from(carried.file as string, "base64url").toString("utf8")).toBe(SPLITWISE);

    const preview = await post("/app/groups/import/preview", { ...carried, ...CHOICES() }, a);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain("is owed ₹479.83");
    expect(preview.body).toContain("owes ₹30.16");
    expect(preview.body).toContain("owes ₹449.67");
    expect(preview.body).toContain("Meera, by email meera@example.com");
    // The Coffee row moves nobody's balance and is left out (the preview says so).
    expect(preview.body).toMatch(/<dt>Expenses<\/dt><dd>4<\/dd>/);
    expect(preview.body).toMatch(/<dt>Payments<\/dt><dd>1<\/dd>/);
    expect(preview.body).toContain("Coffee): nobody owes anyone anything");
    expect(await snapshot()).toBe(before);

    const done = await post("/app/groups/import/confirm", hidden(preview.body), a);
    expect(done.statusCode, done.body).toBe(303);
    const id = Number(/^\/app\/groups\/(\d+)$/.exec(done.headers.location as string)?.[1]);
    const group = await get(`/app/groups/${id}`, a);
    expect(group.body).toContain("Group imported");
    expect(group.body).toContain("<h1>Goa");
    // The group's feed starts with the import: the group, then each expense and payment.
    const feed = await get(`/app/groups/${id}/activity`, b);
    expect(feed.statusCode).toBe(200);
    const asha = String((await rows(`select name from users where id = ${a}`))[0]?.name);
    expect(feed.body).toContain(
      `${asha} created the group <a href="/app/groups/${id}">Goa</a> by importing a Splitwise CSV file`,
    );
    expect(feed.body).toMatch(
      new RegExp(`${asha} added <a href="/app/expenses/\\d+">“Dinner”</a> \\(₹900\\.00\\)`),
    );
    expect(feed.body).toContain(`${asha} recorded a payment of ₹100.00 from you to ${asha}`);
    const api = await t.call("GET", `/groups/${id}/balances`, undefined, { as: a });
    const meera = (await rows("select id from users where email = 'meera@example.com'"))[0]?.id;
    expect(
      Object.fromEntries(
        api.body.members.map((m: { userid: number; net: number }) => [m.userid, m.net]),
      ),
    ).toEqual({ [a]: 479.83, [b]: -30.16, [Number(meera)]: -449.67 });
  });

  test("a person left unmapped: the people page again with the message, nothing written", async () => {
    const carried = hidden((await upload(SPLITWISE)).body);
    const before = await snapshot();
    const { who_1: _, ...choices } = CHOICES();
    const res = await post("/app/groups/import/preview", { ...carried, ...choices, who_1: "" }, a);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).toMatch(/<a href="#f-who_1">Ravi: choose who they are, or invite them\.<\/a>/);
    expect(res.body).toMatch(/id="e-who_1">Choose who they are, or invite them\./);
    // The other choices stay as they were.
    expect(res.body).toContain(`<option value="${b}">`);
    expect(res.body).toMatch(/name="invite_email_2" type="email" value="meera@example.com"/);
    // The confirm step refuses it the same way.
    const confirm = await post("/app/groups/import/confirm", { ...carried, ...choices }, a);
    expect(confirm.statusCode).toBe(422);
    expect(confirm.body).toContain("Ravi: choose who they are");
    expect(await snapshot()).toBe(before);
  });

  test("an invite without a valid email, a stranger's id, one user for two names: messages by the field", async () => {
    const carried = hidden((await upload(SPLITWISE)).body);
    const before = await snapshot();
    const badEmail = await post(
      "/app/groups/import/preview",
      { ...carried, ...CHOICES(), invite_email_2: "meera at example" },
      a,
    );
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toMatch(/id="e-invite_email_2">Must be a valid email address/);
    const stranger = await post(
      "/app/groups/import/preview",
      { ...carried, ...CHOICES(), who_1: String(s) },
      a,
    );
    expect(stranger.statusCode).toBe(422);
    expect(stranger.body).toMatch(/id="e-who_1">User \d+ is unknown/);
    expect(stranger.body).not.toContain("Farah");
    const twice = await post(
      "/app/groups/import/preview",
      { ...carried, ...CHOICES(), who_1: String(a) },
      a,
    );
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toMatch(/id="e-who_1">Is the same person as Asha/);
    expect(await snapshot()).toBe(before);
  });

  test("a malformed file: the upload form again with each bad line and the text kept, nothing written", async () => {
    const before = await snapshot();
    const bad = fixture("splitwise-malformed.csv");
    const res = await upload(bad);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).toMatch(/<a href="#f-data">The file: line \d+: /);
    expect(res.body).toContain("03/02/2024,Taxi");
    // A carried copy that was tampered with on the way is checked again at every step.
    const carried = hidden((await upload(SPLITWISE)).body);
    const tampered = Buffer.from(bad).toString("base64url");
    const confirm = await post(
      "/app/groups/import/confirm",
      { ...carried, file: tampered, ...CHOICES() },
      a,
    );
    expect(confirm.statusCode).toBe(422);
    expect(confirm.body).toContain("<h1>Import a group</h1>");
    // No text at all, an unknown format, a file over IMPORT_MAX_BYTES (413).
    const empty = await post("/app/groups/import/people", { format: "csv", data: " " }, a);
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain("Format: choose the file&#39;s format.");
    expect(empty.body).toContain("The file: paste the file&#39;s text, or choose the file.");
    // Up to IMPORT_MAX_BYTES the form gets through, above BODY_LIMIT_BYTES as it is encoded.
    const { data: fits } = largeSplitwiseCsv(40);
    expect(Buffer.byteLength(fits)).toBeLessThan(4096);
    expect(new URLSearchParams({ data: fits }).toString().length).toBeGreaterThan(2048);
    expect((await upload(fits.replace(/\n/g, "\r\n"))).statusCode).toBe(200);
    const big = await upload(SPLITWISE + "x".repeat(5000));
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain("the largest file Evenly imports is 4 KiB");
    expect(await snapshot()).toBe(before);
  });

  test("a group name that is not one line of at most 100 characters: the first step says so, with the file's problems", async () => {
    const before = await snapshot();
    for (const name of ["Goa\ttrip", "n".repeat(101)]) {
      const res = await upload(SPLITWISE, { name });
      expect(res.statusCode, name).toBe(422);
      expect(res.body).toContain("<h1>Import a group</h1>");
      expect(res.body).toContain(
        '<a href="#f-name">Group name: must be one line of at most 100 characters.</a>',
      );
    }
    const both = await post(
      "/app/groups/import/people",
      { format: "csv", data: " ", name: "a\u0001b" },
      a,
    );
    expect(both.statusCode).toBe(422);
    expect(both.body).toContain("Format: choose the file&#39;s format.");
    expect(both.body).toContain("Group name: must be one line of at most 100 characters.");
    expect((await upload(SPLITWISE, { name: "n".repeat(100) })).statusCode).toBe(200);
    expect(await snapshot()).toBe(before);
  });

  test("an invite name prefilled from a file name over 100 characters keeps whole characters", async () => {
    const long = `${"M".repeat(99)}😀😀`;
    const csv = `Date,Description,Category,Cost,Currency,Asha,${long}\n2024-01-01,Tea,General,10.00,INR,5.00,-5.00\n\n2024-01-01,Total balance, , ,INR,5.00,-5.00\n`;
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(200);
    // 100 characters: the first emoji whole (slicing UTF-16 units left half of it, a U+FFFD).
    expect(res.body).toContain(`name="invite_name_1" value="${"M".repeat(99)}😀"`);
    expect(res.body).not.toContain("\ufffd");
  });

  test("the same file again: a message with “Import it anyway”, which imports a second group", async () => {
    const first = hidden((await upload(SPLITWISE)).body);
    expect(
      (await post("/app/groups/import/confirm", { ...first, ...CHOICES() }, a)).statusCode,
    ).toBe(303);
    const before = await snapshot();
    const again = await upload(PASTED);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("You have imported this file before");
    expect(again.body).toContain('name="allow_duplicate" value="1"');
    // Submitting the confirm twice (a double click) meets the same message.
    const twice = await post("/app/groups/import/confirm", { ...first, ...CHOICES() }, a);
    expect(twice.statusCode).toBe(409);
    expect(await snapshot()).toBe(before);
    const anyway = await upload(PASTED, { allow_duplicate: "1" });
    expect(anyway.statusCode).toBe(200);
    const carried = hidden(anyway.body);
    expect(carried.allow_duplicate).toBe("1");
    const done = await post(
      "/app/groups/import/confirm",
      {
        ...carried,
        ...CHOICES(),
        who_2: String(b),
        who_1: String(a),
        who_0: "invite",
        invite_email_0: "asha2@example.com",
        invite_name_0: "Asha two",
      },
      a,
    );
    expect(done.statusCode, done.body).toBe(303);
    expect((await rows("select count(*)::int n from groups"))[0]?.n).toBe(2);
  });

  test("only logged-in users reach it; a form without its CSRF token is refused", async () => {
    const anon = await t.app.inject({ method: "GET", url: "/app/groups/import" });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toMatch(/^\/login/);
    const forged = await post(
      "/app/groups/import/people",
      { _csrf: "forged", format: "splitwise-csv", data: SPLITWISE },
      a,
    );
    expect(forged.statusCode).toBe(403);
  });
});

describe("export downloads", () => {
  async function trip() {
    const g = await t.call("POST", "/groups", { name: "Goa trip", members: [b] }, { as: a });
    const e = await t.call(
      "POST",
      "/expenses",
      {
        group_id: g.body.groupid,
        description: "Villa",
        amount: "300.00",
        paid_by: a,
        participants: [a, b],
        split_type: "EQUAL",
      },
      { as: a },
    );
    expect(e.status).toBe(201);
    return g.body.groupid as number;
  }

  test("the group page links CSV and JSON; members download them with a file name", async () => {
    const g = await trip();
    const page = await get(`/app/groups/${g}`, a);
    expect(page.body).toContain(`href="/app/groups/${g}/export.csv" download`);
    expect(page.body).toContain(`href="/app/groups/${g}/export.json" download`);
    const csv = await get(`/app/groups/${g}/export.csv`, b);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe(
      `attachment; filename="evenly-group-${g}-goa-trip.csv"`,
    );
    expect(csv.headers["cache-control"]).toBe("private, no-store");
    expect(csv.body.split("\n")[0]).toMatch(
      /^Date,Description,Category,Cost,Currency,Asha \d+,Bela \d+$/,
    );
    const json = await get(`/app/groups/${g}/export.json`, a);
    expect(json.headers["content-disposition"]).toBe(
      `attachment; filename="evenly-group-${g}-goa-trip.json"`,
    );
    expect(JSON.parse(json.body).activity.map((x: { kind: string }) => x.kind)).toEqual([
      "group.created",
      "expense.created",
    ]);
  });

  test("someone else's group: 404 pages; logged out: the log-in page", async () => {
    const g = await trip();
    for (const url of [`/app/groups/${g}/export.csv`, `/app/groups/${g}/export.json`]) {
      const res = await get(url, s);
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.headers["content-disposition"]).toBeUndefined();
      expect(res.body).not.toContain("Villa");
      const anon = await get(url);
      expect(anon.statusCode).toBe(303);
    }
    expect((await get("/app/groups/999999/export.csv", a)).statusCode).toBe(404);
    expect((await get("/app/groups/abc/export.csv", a)).statusCode).toBe(404);
  });

  test("the profile's “Download my data” gives your own export only", async () => {
    await trip();
    const profile = await get("/profile", b);
    expect(profile.body).toContain('href="/profile/export.json" download');
    const mine = await get("/profile/export.json", b);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers["content-disposition"]).toBe(
      `attachment; filename="evenly-user-${b}.json"`,
    );
    const file = JSON.parse(mine.body);
    expect(file.user.userid).toBe(b);
    expect(file.groups).toHaveLength(1);
    expect((await get("/profile/export.json")).statusCode).toBe(303);
  });
});
