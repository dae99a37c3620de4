import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PHONE_MESSAGE } from "../../src/domain/phone.js";
import type { TestDatabase } from "../helpers/database.js";
import { type MailApp, startMailApp } from "../helpers/mail-app.js";
import type { SmtpSink } from "../helpers/smtp.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * Mobile numbers as people type them (everyday-use issue, item 4) over the API: sign-up,
 * invitation and claim take spaces, dashes, dots and brackets and store the digits; the API
 * returns the stored form, as before.
 */

let m: MailApp;
let db: TestDatabase;
let smtp: SmtpSink;
let app: FastifyInstance;
beforeAll(async () => {
  m = await startMailApp({ SIGNUP_RATE_LIMIT: "1000" });
  ({ db, smtp, app } = m);
});
afterAll(async () => m?.close());
beforeEach(async () => {
  await db.reset();
  smtp.mails.length = 0;
});

const PASSWORD = "tamarind-rickshaw-42";
let n = 0;
async function call(method: "GET" | "POST", url: string, body?: object, token?: string) {
  const res = await app.inject({
    method,
    url,
    remoteAddress: `10.7.0.${++n % 250}`,
    ...(body ? { payload: body } : {}),
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  const json: any = res.body ? JSON.parse(res.body) : undefined;
  return { status: res.statusCode, body: json };
}

async function storedNumber(email: string): Promise<string | null | undefined> {
  const r = (await db.db.execute(
    sql`select mobile_number from users where email = ${email}`,
  )) as unknown as { rows: { mobile_number: string | null }[] };
  return r.rows[0]?.mobile_number;
}

const signUp = (email: string, mobile_number: unknown) =>
  call("POST", "/users", { name: "Asha", email, mobile_number, password: PASSWORD });

async function tokenOf(email: string): Promise<string> {
  const res = await call("POST", "/auth/token", { email, password: PASSWORD });
  expect(res.status).toBe(201);
  return res.body.token;
}

describe("the API takes mobile numbers as people type them", () => {
  it.each([
    ["98765 43210", "9876543210"],
    ["+91 98765-00001", "+919876500001"],
    ["(022) 2345 6789", "02223456789"],
    ["+91.98765.43210", "+919876543210"],
  ])("sign-up with %j stores %j and returns it", async (typed, digits) => {
    const res = await signUp("asha@example.com", typed);
    expect(res.status).toBe(201);
    expect(res.body.mobile_number).toBe(digits);
    expect(await storedNumber("asha@example.com")).toBe(digits);
  });

  it.each([
    ["98765 4321O"], // a letter O for a zero
    ["98765/43210"],
    ["98765\t43210"],
    ["91+98765 43210"],
    ["98765"], // too few digits, however typed
  ])("refuses %j with a 400 naming the field, and stores nothing", async (typed) => {
    const before = await tableChecksum(db);
    const res = await signUp("asha@example.com", typed);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: "mobile_number", message: PHONE_MESSAGE }]);
    expect(await tableChecksum(db)).toBe(before);
  });

  it("an invitation stores the digits too", async () => {
    await signUp("asha@example.com", "9876543210");
    const token = await tokenOf("asha@example.com");
    const friend = { name: "Bela", email: "bela@example.com" };
    const invited = await call(
      "POST",
      "/users",
      { ...friend, mobile_number: "(022) 2345 6789" },
      token,
    );
    expect(invited.status).toBe(201);
    expect(invited.body.mobile_number).toBe("02223456789");
    expect(await storedNumber("bela@example.com")).toBe("02223456789");
    const bad = await call("POST", "/users", { ...friend, mobile_number: "022-CALL-ME" }, token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "mobile_number", message: PHONE_MESSAGE }]);
  });

  it("claiming an account invited by email only stores the digits of the number given", async () => {
    await signUp("asha@example.com", "9876543210");
    const token = await tokenOf("asha@example.com");
    const added = await call(
      "POST",
      "/friends",
      { email: "chetan@example.com", name: "Chetan" },
      token,
    );
    expect(added.status).toBe(201);
    await smtp.waitFor(1);
    const link = /claim\?token=(claim_[A-Za-z0-9_-]+)/.exec(smtp.mails[0]?.text ?? "");
    const claimToken = link?.[1] ?? "";
    expect(claimToken).not.toBe("");

    const bad = await call("POST", "/auth/claim", {
      token: claimToken,
      password: PASSWORD,
      mobile_number: "+91 98765 0000x",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "mobile_number", message: PHONE_MESSAGE }]);
    expect(await storedNumber("chetan@example.com")).toBeNull();

    const claimed = await call("POST", "/auth/claim", {
      token: claimToken,
      password: PASSWORD,
      mobile_number: "+91 98765-00001",
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.mobile_number).toBe("+919876500001");
    expect(await storedNumber("chetan@example.com")).toBe("+919876500001");
  });
});
