import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { dinnerFile, invitingFile } from "../helpers/inviting-import.js";
import { tableChecksum } from "../helpers/table-checksum.js";

/**
 * The people an import invites (names mapped to `{name, email}` of someone without an account)
 * each count as one invitation against the importer's allowance, which POST /friends and
 * POST /users share (INVITE_RATE_LIMIT per window): over it → 429 with Retry-After, nothing
 * written, nothing counted. One import invites at most IMPORT_MAX_INVITES people (422 beyond).
 */

const count = async (t: TestApp, table: string) =>
  Number(
    (
      (await t.db.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]?.n,
  );

describe("the cap on invitations per import (IMPORT_MAX_INVITES)", () => {
  let t: TestApp;
  let a: number;
  let b: number;
  const suite = appSuite({ users: ["A", "B"], env: { IMPORT_MAX_INVITES: "2" } });
  beforeEach(() => {
    t = suite.t;
    [a, b] = suite.users;
  });

  it("three new people → 422 naming them (dry run too), nothing written; two are fine", async () => {
    const before = await tableChecksum(t.db);
    for (const dry_run of [true, false]) {
      const res = await t.call(
        "POST",
        "/groups/import",
        { ...invitingFile(a, 3, "N"), dry_run },
        {
          as: a,
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.detail).toBe(
        "This import would invite 3 people who have no account; one import may invite at most 2",
      );
      expect(res.body.errors).toEqual([
        {
          field: "members",
          message:
            "would invite 3 new people (N1, N2, N3); one import may invite at most 2: choose people you know for some of them",
        },
      ]);
    }
    expect(await tableChecksum(t.db)).toBe(before);
    const ok = await t.call("POST", "/groups/import", invitingFile(a, 2, "N"), { as: a });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(await count(t, "users")).toBe(4);
  });

  it("someone mapped by email who has an account is befriended, not invited: not counted", async () => {
    const body = invitingFile(a, 3, "N");
    body.members.N3 = { name: "B", email: t.emailOf(b) };
    const res = await t.call("POST", "/groups/import", body, { as: a });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.members.find((m: { name: string }) => m.name === "N3").userid).toBe(b);
  });
});

describe("the invitation rate limit (INVITE_RATE_LIMIT per inviter, shared with POST /friends)", () => {
  let t: TestApp;
  let a: number;
  let b: number;
  let s: number;
  const suite = appSuite({
    users: ["A", "B"],
    env: { INVITE_RATE_LIMIT: "3", IMPORT_MAX_INVITES: "50", RATE_LIMIT_WINDOW_SECONDS: "900" },
  });
  beforeEach(async () => {
    t = suite.t;
    [a, b] = suite.users;
    s = await t.stranger("S");
  });
  const importAs = (body: object, as: number) => t.call("POST", "/groups/import", body, { as });
  const inviteFriend = (as: number, name: string) =>
    t.call("POST", "/friends", { email: `${name}@example.test`, name }, { as });

  it("one invitation through POST /friends, then an import of three → 429, nothing written or counted", async () => {
    expect((await inviteFriend(a, "first")).status).toBe(201);
    const before = await tableChecksum(t.db);
    const groups = await count(t, "groups");
    const res = await importAs(invitingFile(a, 3, "N"), a);
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const wait = Number(res.headers["retry-after"]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(900);
    expect(res.body).toMatchObject({
      status: 429,
      title: "Too many requests",
      detail: expect.stringContaining(
        "Too many invitations: this would invite 3 new people; you may invite 3 people per 15 minutes and have 2 left now",
      ),
    });
    expect(res.body.errors).toEqual([
      { field: "members", message: expect.stringContaining("have 2 left now: try again in") },
    ]);
    expect(await tableChecksum(t.db)).toBe(before);
    expect(await count(t, "groups")).toBe(groups);
    // The refusal used up nothing: two more still fit, then the allowance is spent.
    const two = await importAs(invitingFile(a, 2, "M"), a);
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    const fourth = await inviteFriend(a, "fourth");
    expect(fourth.status).toBe(429);
    expect(fourth.headers["retry-after"]).toBeDefined();
    expect(fourth.body.detail).toMatch(
      /^Too many invitations: you may invite 3 people per 15 minutes; try again in \d+ minutes?$/,
    );
    // Per inviter: someone else may still invite.
    expect((await inviteFriend(b, "fifth")).status).toBe(201);
  });

  it("an import of known people only (no invitation) is never limited", async () => {
    for (let i = 0; i < 3; i++) expect((await inviteFriend(a, `f${i}`)).status).toBe(201);
    const known = invitingFile(a, 0, "N");
    const res = await importAs(
      { ...known, data: dinnerFile(["Me", "B"]), members: { Me: a, B: b } },
      a,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("a dry run counts nothing, and an import that fails after counting gives its invitations back", async () => {
    for (let i = 0; i < 3; i++) {
      const dry = await importAs({ ...invitingFile(a, 3, "N"), dry_run: true }, a);
      expect(dry.status).toBe(200);
    }
    // Counted, then refused inside the transaction (a stranger's id): nothing invited or counted.
    const body = invitingFile(a, 3, "N");
    const failed = await importAs({ ...body, members: { ...body.members, Me: s } }, a);
    expect(failed.status).toBe(422);
    expect(await count(t, "users")).toBe(3);
    const ok = await importAs(invitingFile(a, 3, "N"), a);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(await count(t, "users")).toBe(6);
    expect((await importAs(invitingFile(a, 1, "L"), a)).status).toBe(429);
  });

  it("POST /users without a password (an invitation) counts too", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.call(
        "POST",
        "/users",
        { name: `U${i}`, email: `u${i}@example.test`, mobile_number: `91987654321${i}` },
        { as: a },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const res = await importAs(invitingFile(a, 1, "N"), a);
    expect(res.status).toBe(429);
    expect(res.body.detail).toContain("have 0 left now");
  });

  it("more people than one window allows → 422 (no wait would let it through), not 429", async () => {
    const res = await importAs(invitingFile(a, 4, "N"), a);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.errors[0].message).toContain("one import may invite at most 3");
  });
});
