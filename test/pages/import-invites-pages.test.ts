import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { dinnerFile } from "../helpers/inviting-import.js";
import { tableChecksum } from "../helpers/table-checksum.js";
import { pageSuite } from "./page-suite.js";

/**
 * The import wizard's invitations: more than one import may invite (IMPORT_MAX_INVITES) and more
 * than the inviter has left (INVITE_RATE_LIMIT, shared with the Friends page) each come back as
 * the "who is who" step with the message, nothing written.
 */
let t: TestApp;
let a: number;
const suite = pageSuite({
  users: ["Asha"],
  env: { INVITE_RATE_LIMIT: "3", IMPORT_MAX_INVITES: "2" },
});
beforeEach(() => {
  t = suite.t;
  [a] = suite.users;
});

const { get, post } = suite;

const rows = async (q: string) =>
  ((await t.db.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
const snapshot = async () =>
  `${await tableChecksum(t.db)}|${JSON.stringify(await rows("select (select count(*) from groups) g, (select count(*) from imports) i"))}`;

function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    if (m[1] !== "_csrf") out[m[1] as string] = (m[2] as string).replace(/&amp;/g, "&");
  return out;
}

/** The file of Asha and `n` new people, uploaded, each new one chosen to be invited. */
async function choices(n: number) {
  const names = ["Asha", ...Array.from({ length: n }, (_, i) => `New${i + 1}`)];
  const people = await post(
    "/app/groups/import/people",
    { format: "splitwise-csv", data: dinnerFile(names), name: "Trip" },
    a,
  );
  expect(people.statusCode, people.body).toBe(200);
  const form: Record<string, string> = { ...hidden(people.body), who_0: String(a) };
  for (let i = 1; i <= n; i++) {
    form[`who_${i}`] = "invite";
    form[`invite_name_${i}`] = `New${i}`;
    form[`invite_email_${i}`] = `new${i}@example.test`;
  }
  return form;
}

describe("invitations from the import wizard", () => {
  test("more people to invite than one import may: the people step with the message, at the preview already", async () => {
    const before = await snapshot();
    const res = await post("/app/groups/import/preview", await choices(3), a);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("Import a group: who is who");
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).toContain(
      "This import would invite 3 new people (New1, New2, New3); one import may invite at most 2: choose people you know for some of them.",
    );
    // The choices are kept for changing.
    expect(res.body).toMatch(/name="invite_email_3" type="email" value="new3@example.test"/);
    expect(await snapshot()).toBe(before);
  });

  test("two invited on the Friends page, then an import inviting two: 429 on the people step, nothing written", async () => {
    for (const name of ["Farah", "Gita"]) {
      const invited = await post(
        "/app/friends",
        { email: `${name.toLowerCase()}@example.test`, name, invite: "1" },
        a,
      );
      expect(invited.statusCode, invited.body).toBe(303);
    }
    const form = await choices(2);
    const preview = await post("/app/groups/import/preview", form, a);
    expect(preview.statusCode, preview.body).toBe(200); // a dry run counts nothing
    const before = await snapshot();
    const res = await post("/app/groups/import/confirm", hidden(preview.body), a);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(res.body).toContain("Import a group: who is who");
    expect(res.body).toMatch(
      /This import would invite 2 new people; you may invite 3 people per 15 minutes and have 1 left now: try again in \d+ minutes?, or choose people you know for some of them\./,
    );
    expect(await snapshot()).toBe(before);
    // One left: the Friends page may still invite one, then says why it cannot.
    const third = await post(
      "/app/friends",
      { email: "hari@example.test", name: "Hari", invite: "1" },
      a,
    );
    expect(third.statusCode).toBe(303);
    const fourth = await post(
      "/app/friends",
      { email: "isha@example.test", name: "Isha", invite: "1" },
      a,
    );
    expect(fourth.statusCode).toBe(429);
    expect(fourth.body).toMatch(
      /Too many invitations: you may invite 3 people per 15 minutes; try again in \d+ minutes?\./,
    );
    expect((await get("/app/friends", a)).body).not.toContain("Isha");
  });
});
