import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PHONE_MESSAGE } from "../../src/domain/phone.js";
import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import { cookieFrom, startTestApp, type TestApp } from "../helpers/app.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { anonymousSession, pageText, postForm } from "../security/page-forms.js";

/**
 * Mobile numbers as people type them (everyday-use issue, item 4) on the pages: the sign-up and
 * profile forms take spaces, dashes, dots and brackets, store the digits, and the profile shows
 * the number grouped.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { SIGNUP_RATE_LIMIT: "1000" } });
});
afterAll(async () => t?.close());
beforeEach(async () => t.db.reset());

async function storedNumber(email: string): Promise<string | null | undefined> {
  const r = (await t.db.db.execute(
    sql`select mobile_number from users where email = ${email}`,
  )) as unknown as { rows: { mobile_number: string | null }[] };
  return r.rows[0]?.mobile_number;
}

/** The value the profile form's mobile number field is filled with. */
async function profileNumber(cookie: string): Promise<string | undefined> {
  const page = await t.app.inject({ method: "GET", url: "/profile", headers: { cookie } });
  expect(page.statusCode).toBe(200);
  return /id="f-mobile_number"[^>]*value="([^"]*)"/.exec(page.body)?.[1];
}

const signUpForm = (mobile_number: string) => ({
  name: "Asha",
  email: "asha@example.com",
  mobile_number,
  password: "tamarind-rickshaw-42",
});

describe("the sign-up page", () => {
  it.each([
    ["98765 43210", "9876543210", "98765 43210"],
    ["+91 98765-00001", "+919876500001", "+91 98765 00001"],
    ["(022) 2345 6789", "02223456789", "022 2345 6789"],
  ])("takes %j, stores %j and the profile shows %j", async (typed, digits, shown) => {
    const res = await postForm(t, await anonymousSession(t), "/signup", signUpForm(typed));
    expect(res.statusCode).toBe(303);
    expect(await storedNumber("asha@example.com")).toBe(digits);
    const cookie = cookieFrom(res.headers["set-cookie"], SESSION_COOKIE) ?? "";
    expect(await profileNumber(cookie)).toBe(shown);
  });

  it.each([
    ["98765 4321O"],
    ["98765_43210"],
    ["+91 98765 43210 ext 2"],
    ["98765 43210\t"], // refused by the API and the profile too: the sign-up page does not trim it
  ])("refuses %j next to the field, keeps what was typed, and stores nothing", async (typed) => {
    const before = await tableChecksum(t.db);
    const res = await postForm(t, await anonymousSession(t), "/signup", signUpForm(typed));
    expect(res.statusCode).toBe(422);
    expect(pageText(res.body)).toContain(`Mobile number: ${PHONE_MESSAGE}.`);
    // Next to the field, which keeps what was typed so it can be corrected.
    expect(res.body).toMatch(/id="f-mobile_number"[^>]*aria-invalid="true"/);
    expect(res.body).toContain(`<p class="error" id="e-mobile_number">`);
    expect(res.body).toContain(`value="${typed}"`);
    expect(await tableChecksum(t.db)).toBe(before);
  });
});

describe("the profile page", () => {
  it("saves a number as typed, shows it grouped, and saving the grouped form changes nothing", async () => {
    const a = await t.user("Asha");
    const email = t.emailOf(a);
    const session = await t.pageSession(a);
    const save = (mobile_number: string) =>
      postForm(t, session, "/profile", { name: "Asha", mobile_number });

    expect((await save("(022) 2345 6789")).statusCode).toBe(303);
    expect(await storedNumber(email)).toBe("02223456789");
    expect(await profileNumber(session.cookie)).toBe("022 2345 6789");

    expect((await save("+91 98765-00001")).statusCode).toBe(303);
    expect(await storedNumber(email)).toBe("+919876500001");
    const shown = await profileNumber(session.cookie);
    expect(shown).toBe("+91 98765 00001");
    // The form comes back filled with the grouped number: saving it as it is keeps the digits.
    expect((await save(shown ?? "")).statusCode).toBe(303);
    expect(await storedNumber(email)).toBe("+919876500001");

    const before = await tableChecksum(t.db);
    const bad = await save("+91 98765-0000l");
    expect(bad.statusCode).toBe(422);
    expect(pageText(bad.body)).toContain(`Mobile number: ${PHONE_MESSAGE}.`);
    expect(await tableChecksum(t.db)).toBe(before);
  });
});
