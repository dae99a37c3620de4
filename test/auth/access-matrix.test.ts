import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_PASSWORD, startTestApp, type TestApp } from "../helpers/app.js";
import { recordRoutes } from "../helpers/routes.js";

/**
 * For every API endpoint: the rightful user gets 2xx, a foreign user 404 (or 403 where they
 * ask to create something that names other people), an anonymous caller 401 — and a refused
 * call changes nothing in the database. Every page likewise. The last test fails when the app
 * has a route this file neither checks nor exempts with a reason.
 */
const recorder = recordRoutes();
let t: TestApp;
let a: number; // owner
let b: number; // shares an expense and a settlement with a
let f: number; // foreign: a stranger to a and b (no friendship, nothing shared)
let z: number; // a's throwaway account for DELETE /users
let expenseId: number;
let settlementId: number;
let tokenId: number;
let groupId: number; // a's and b's group, with a group expense and settlement
let emptyGroupId: number; // a's group with nothing in it (archived by its row)
let m: number; // someone a knows, added to and removed from the group by the rows

beforeAll(async () => {
  // With the development mail preview, so its routes are registered (and must be accounted for).
  t = await startTestApp({ env: { MAIL_PREVIEW: "true" } });
  recorder.stop();
  a = await t.user("Owner");
  b = await t.user("Friend");
  f = await t.stranger("Foreign");
  z = await t.user("Zed");
  const e = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: a,
      amount: "90.00",
      split_type: "EQUAL",
      participants: [a, b],
      description: "Lunch",
    },
    { as: a },
  );
  expenseId = e.body.expenseid;
  const s = await t.call(
    "POST",
    "/settlements",
    { from_user: b, to_user: a, amount: "10.00" },
    { as: b },
  );
  settlementId = s.body.settlementid;
  // A second token of a's, for the revocation row (a keeps using the first).
  const me = await t.call("GET", `/users/${a}`, undefined, { as: a });
  const login = await t.call("POST", "/auth/token", {
    email: me.body.email,
    password: FIXTURE_PASSWORD,
  });
  tokenId = login.body.token_id;
  m = await t.user("Member");
  const g = await t.call("POST", "/groups", { name: "Trip", members: [b] }, { as: a });
  groupId = g.body.groupid;
  emptyGroupId = (await t.call("POST", "/groups", { name: "Empty" }, { as: a })).body.groupid;
  await t.call(
    "POST",
    "/expenses",
    { ...expenseBody(), description: "Group lunch", group_id: groupId },
    { as: a },
  );
  await t.call(
    "POST",
    "/settlements",
    { from_user: b, to_user: a, amount: "1.00", group_id: groupId },
    { as: b },
  );
});
afterAll(async () => t.close());

/** Everything a refused request could have touched (token use timestamps aside). */
async function snapshot(): Promise<string> {
  const r = (await t.db.db.execute(sql`select
    (select md5(coalesce(string_agg(u::text, ',' order by id), '')) from users u) as users,
    (select md5(coalesce(string_agg(e::text, ',' order by id), '')) from expenses e) as expenses,
    (select md5(coalesce(string_agg(s::text, ',' order by expense_id, user_id), '')) from expense_shares s) as shares,
    (select md5(coalesce(string_agg(p::text, ',' order by expense_id, user_id), '')) from expense_payers p) as payers,
    (select md5(coalesce(string_agg(s::text, ',' order by id), '')) from settlements s) as settlements,
    (select md5(coalesce(string_agg(p::text, ',' order by user_a, user_b), '')) from pair_balances p) as pairs,
    (select md5(coalesce(string_agg(f::text, ',' order by user_id, friend_id), '')) from friendships f) as friendships,
    (select md5(coalesce(string_agg(g::text, ',' order by id), '')) from groups g) as groups,
    (select md5(coalesce(string_agg(m::text, ',' order by group_id, user_id), '')) from group_members m) as members,
    (select md5(coalesce(string_agg(p::text, ',' order by group_id, user_a, user_b), '')) from group_pair_balances p) as group_pairs,
    (select count(*) from outbox) as outbox,
    (select count(*) from activity) as activity,
    (select md5(coalesce(string_agg(concat_ws('|', id, user_id, revoked_at, expires_at), ',' order by id), '')) from api_tokens) as tokens`)) as unknown as {
    rows: Record<string, string>[];
  };
  return JSON.stringify(r.rows[0]);
}

const expenseBody = () => ({
  paid_by: a,
  amount: "120.00",
  split_type: "EQUAL",
  participants: [a, b],
  description: "Dinner",
});

interface Row {
  name: string;
  /** The route it exercises, as registered ("METHOD /pattern"): see the coverage check. */
  route: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: () => string;
  body?: () => unknown;
  owner: () => number;
  ok: number;
  /**
   * What a foreign user gets: 404 for someone else's resource, 403 for creating in others' names,
   * 422 for naming people they do not know, 200 for a list that is always the caller's own.
   */
  foreign: 404 | 403 | 422 | 200;
}

const rows: Row[] = [
  {
    name: "get user",
    route: "GET /users/:userid",
    method: "GET",
    url: () => `/users/${a}`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "balances",
    route: "GET /users/:userid/balances",
    method: "GET",
    url: () => `/users/${a}/balances`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "simplified balances",
    route: "GET /users/:userid/balances",
    method: "GET",
    url: () => `/users/${a}/balances?simplify=true`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "user's expenses",
    route: "GET /users/:userid/expenses",
    method: "GET",
    url: () => `/users/${a}/expenses`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "user's settlements",
    route: "GET /users/:userid/settlements",
    method: "GET",
    url: () => `/users/${a}/settlements`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "preferences",
    route: "GET /users/:userid/preferences",
    method: "GET",
    url: () => `/users/${a}/preferences`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "change preferences",
    route: "PATCH /users/:userid/preferences",
    method: "PATCH",
    url: () => `/users/${a}/preferences`,
    body: () => ({ weekly_summary: false }),
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "get expense",
    route: "GET /expenses/:expenseid",
    method: "GET",
    url: () => `/expenses/${expenseId}`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "edit expense",
    route: "PUT /expenses/:expenseid",
    method: "PUT",
    url: () => `/expenses/${expenseId}`,
    body: expenseBody,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "create expense",
    route: "POST /expenses",
    method: "POST",
    url: () => "/expenses",
    body: expenseBody,
    owner: () => a,
    ok: 201,
    foreign: 403,
  },
  {
    name: "get settlement",
    route: "GET /settlements/:settlementid",
    method: "GET",
    url: () => `/settlements/${settlementId}`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "record settlement",
    route: "POST /settlements",
    method: "POST",
    url: () => "/settlements",
    body: () => ({ from_user: b, to_user: a, amount: "5.00" }),
    owner: () => a,
    ok: 201,
    foreign: 403,
  },
  {
    name: "create group",
    route: "POST /groups",
    method: "POST",
    url: () => "/groups",
    body: () => ({ name: "Flat", members: [b] }),
    owner: () => a,
    ok: 201,
    // b is a stranger to the foreign user: refused like an unknown id.
    foreign: 422,
  },
  {
    name: "list groups",
    route: "GET /groups",
    method: "GET",
    url: () => "/groups",
    owner: () => a,
    ok: 200,
    foreign: 200,
  },
  {
    name: "get group",
    route: "GET /groups/:groupid",
    method: "GET",
    url: () => `/groups/${groupId}`,
    owner: () => b,
    ok: 200,
    foreign: 404,
  },
  {
    name: "change group",
    route: "PATCH /groups/:groupid",
    method: "PATCH",
    url: () => `/groups/${groupId}`,
    body: () => ({ name: "Goa", simplify_debts: false }),
    owner: () => b,
    ok: 200,
    foreign: 404,
  },
  {
    name: "add group member",
    route: "POST /groups/:groupid/members",
    method: "POST",
    url: () => `/groups/${groupId}/members`,
    body: () => ({ userid: m }),
    owner: () => a,
    ok: 201,
    foreign: 404,
  },
  {
    name: "remove group member",
    route: "DELETE /groups/:groupid/members/:userid",
    method: "DELETE",
    url: () => `/groups/${groupId}/members/${m}`,
    owner: () => b,
    ok: 204,
    foreign: 404,
  },
  {
    name: "export group csv",
    route: "GET /groups/:groupid/export.csv",
    method: "GET",
    url: () => `/groups/${groupId}/export.csv`,
    owner: () => b,
    ok: 200,
    foreign: 404,
  },
  {
    name: "export group json",
    route: "GET /groups/:groupid/export.json",
    method: "GET",
    url: () => `/groups/${groupId}/export.json`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "export user json",
    route: "GET /users/:userid/export.json",
    method: "GET",
    url: () => `/users/${a}/export.json`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "import group",
    route: "POST /groups/import",
    method: "POST",
    url: () => "/groups/import",
    body: () => ({
      format: "splitwise-csv",
      data: "Date,Description,Category,Cost,Currency,Me,You\n2024-01-02,Tea,,10.00,INR,5.00,-5.00\n\n2024-01-02,Total balance,,,INR,5.00,-5.00\n",
      members: { Me: a, You: b },
      allow_duplicate: true,
    }),
    owner: () => a,
    ok: 201,
    // b is a stranger to the foreign user: refused like an unknown id.
    foreign: 422,
  },
  {
    name: "group balances",
    route: "GET /groups/:groupid/balances",
    method: "GET",
    url: () => `/groups/${groupId}/balances?simplify=false`,
    owner: () => b,
    ok: 200,
    foreign: 404,
  },
  {
    name: "group expenses",
    route: "GET /groups/:groupid/expenses",
    method: "GET",
    url: () => `/groups/${groupId}/expenses`,
    owner: () => b,
    ok: 200,
    foreign: 404,
  },
  {
    name: "group settlements",
    route: "GET /groups/:groupid/settlements",
    method: "GET",
    url: () => `/groups/${groupId}/settlements`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "group expense",
    route: "POST /expenses",
    method: "POST",
    url: () => "/expenses",
    body: () => ({ ...expenseBody(), paid_by: b, group_id: groupId }),
    owner: () => a,
    ok: 201,
    foreign: 404,
  },
  {
    name: "group settlement",
    route: "POST /settlements",
    method: "POST",
    url: () => "/settlements",
    body: () => ({ from_user: a, to_user: b, amount: "1.00", group_id: groupId }),
    owner: () => a,
    ok: 201,
    foreign: 404,
  },
  {
    name: "archive group",
    route: "DELETE /groups/:groupid",
    method: "DELETE",
    url: () => `/groups/${emptyGroupId}`,
    owner: () => a,
    ok: 204,
    foreign: 404,
  },
  {
    name: "list friends",
    route: "GET /friends",
    method: "GET",
    url: () => "/friends",
    owner: () => a,
    ok: 200,
    // A list of one's own: the foreign user gets their own (empty) list; checked below.
    foreign: 200,
  },
  {
    name: "remove a friend",
    route: "DELETE /friends/:userid",
    method: "DELETE",
    url: () => `/friends/${z}`,
    owner: () => a,
    ok: 204,
    foreign: 404,
  },
  {
    name: "revoke a token by id",
    route: "DELETE /auth/tokens/:tokenid",
    method: "DELETE",
    url: () => `/auth/tokens/${tokenId}`,
    owner: () => a,
    ok: 204,
    foreign: 404,
  },
  {
    name: "delete expense",
    route: "DELETE /expenses/:expenseid",
    method: "DELETE",
    url: () => `/expenses/${expenseId}`,
    owner: () => a,
    ok: 204,
    foreign: 404,
  },
  {
    name: "restore expense",
    route: "POST /expenses/:expenseid/restore",
    method: "POST",
    url: () => `/expenses/${expenseId}/restore`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "delete settlement",
    route: "DELETE /settlements/:settlementid",
    method: "DELETE",
    url: () => `/settlements/${settlementId}`,
    owner: () => a,
    ok: 204,
    foreign: 404,
  },
  {
    name: "restore settlement",
    route: "POST /settlements/:settlementid/restore",
    method: "POST",
    url: () => `/settlements/${settlementId}/restore`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "user's activity",
    route: "GET /users/:userid/activity",
    method: "GET",
    url: () => `/users/${a}/activity`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "group activity",
    route: "GET /groups/:groupid/activity",
    method: "GET",
    url: () => `/groups/${groupId}/activity`,
    owner: () => a,
    ok: 200,
    foreign: 404,
  },
  {
    name: "deactivate user",
    route: "DELETE /users/:userid",
    method: "DELETE",
    url: () => `/users/${z}`,
    owner: () => z,
    ok: 204,
    foreign: 404,
  },
];

/** Endpoints about the caller only (no one else's data to reach): anonymous callers get 401. */
const anonymousOnly = [
  ["GET", "/users"],
  ["GET", "/auth/me"],
  ["GET", "/auth/tokens"],
  ["DELETE", "/auth/token"],
  ["POST", "/auth/password"],
  ["POST", "/friends"],
] as const;

describe("access matrix", () => {
  // Sequential on purpose: the rightful call of one row may change what a later row sees.
  it.each(rows)(
    "$method $name: anonymous 401, foreign $foreign, owner $ok; refusals change nothing",
    async (row) => {
      const body = row.body?.();
      const before = await snapshot();
      const anon = await t.call(row.method, row.url(), body);
      expect(anon.status).toBe(401);
      expect(anon.headers["content-type"]).toContain("application/problem+json");
      expect(await snapshot()).toBe(before);
      const foreign = await t.call(row.method, row.url(), body, { as: f });
      expect(foreign.status).toBe(row.foreign);
      if (row.foreign === 200) expect(foreign.body.items).toEqual([]);
      else expect(foreign.headers["content-type"]).toContain("application/problem+json");
      expect(await snapshot()).toBe(before);
      const owner = await t.call(row.method, row.url(), body, { as: row.owner() });
      expect(owner.status).toBe(row.ok);
    },
  );

  it("a foreign user's list endpoints show none of the owner's data", async () => {
    const search = await t.call("GET", "/users?q=owner", undefined, { as: f });
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([]);
    const mine = await t.call("GET", "/users", undefined, { as: f });
    expect(mine.body.items.map((u: { userid: number }) => u.userid)).toEqual([f]);
    // Connections see each other.
    const friends = await t.call("GET", "/users", undefined, { as: b });
    expect(friends.body.items.map((u: { userid: number }) => u.userid)).toContain(a);
  });

  it("exact email lookup finds any active user, only id and name for a stranger", async () => {
    const me = await t.call("GET", `/users/${a}`, undefined, { as: a });
    const found = await t.call(
      "GET",
      `/users?email=${encodeURIComponent(me.body.email.toUpperCase())}`,
      undefined,
      { as: f },
    );
    // A stranger learns only the id and the name: enough to add them as a friend.
    expect(found.body.items).toEqual([{ userid: a, name: me.body.name }]);
  });

  it("a participant who neither created nor paid may see and change an expense (issue 15)", async () => {
    const e = await t.call(
      "POST",
      "/expenses",
      { ...expenseBody(), description: "Tea" },
      { as: a },
    );
    expect(
      (await t.call("GET", `/expenses/${e.body.expenseid}`, undefined, { as: b })).status,
    ).toBe(200);
    const put = await t.call("PUT", `/expenses/${e.body.expenseid}`, expenseBody(), { as: b });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ created_by: a, updated_by: b });
    const del = await t.call("DELETE", `/expenses/${e.body.expenseid}`, undefined, { as: b });
    expect(del.status).toBe(204);
  });

  it("its creator, once an edit left them out, can neither see nor change it (404, like a stranger)", async () => {
    const e = await t.call("POST", "/expenses", expenseBody(), { as: a });
    const url = `/expenses/${e.body.expenseid}`;
    // b takes it over: b paid, b and m share it; a (who added it) is no longer in it.
    const over = { ...expenseBody(), paid_by: b, participants: [b, m] };
    expect((await t.call("PUT", url, over, { as: b })).status).toBe(200);
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", expenseBody()],
      ["DELETE", undefined],
    ] as const) {
      const res = await t.call(method, url, body, { as: a });
      expect(res.status, `${method} by the former creator`).toBe(404);
    }
    expect((await t.call("GET", url, undefined, { as: b })).body.participants).toHaveLength(2);
  });

  it("a group's expense: any member may change it, a former member who took part only see it (403)", async () => {
    const g = (await t.call("POST", "/groups", { name: "Couple", members: [b, m] }, { as: a })).body
      .groupid;
    const e = await t.call(
      "POST",
      "/expenses",
      { ...expenseBody(), description: "Rent", group_id: g },
      { as: a },
    );
    const id = e.body.expenseid;
    const put = await t.call(
      "PUT",
      `/expenses/${id}`,
      { ...expenseBody(), group_id: g },
      { as: m },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ created_by: a, updated_by: m });
    // a leaves after settling; a still takes part in the expense, so sees it, but may not change it.
    await t.call(
      "POST",
      "/settlements",
      { from_user: b, to_user: a, amount: "60.00", group_id: g },
      { as: m },
    );
    expect((await t.call("DELETE", `/groups/${g}/members/${a}`, undefined, { as: a })).status).toBe(
      204,
    );
    expect((await t.call("GET", `/expenses/${id}`, undefined, { as: a })).status).toBe(200);
    expect((await t.call("GET", `/groups/${g}`, undefined, { as: a })).status).toBe(404);
    const before = await snapshot();
    const del = await t.call("DELETE", `/expenses/${id}`, undefined, { as: a });
    expect(del.status).toBe(403);
    expect((await t.call("DELETE", `/expenses/${id}`, undefined, { as: f })).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it("records who created and who edited", async () => {
    const e = await t.call(
      "POST",
      "/expenses",
      { ...expenseBody(), paid_by: b, description: "Snacks" },
      { as: a },
    );
    expect(e.body).toMatchObject({ created_by: a, updated_by: null });
    const edited = await t.call(
      "PUT",
      `/expenses/${e.body.expenseid}`,
      { ...expenseBody(), paid_by: b },
      { as: b },
    );
    expect(edited.body).toMatchObject({ created_by: a, updated_by: b });
    const s = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: b, amount: "1.00" },
      { as: b },
    );
    expect(s.body.created_by).toBe(b);
  });

  it("anonymous calls to the remaining authenticated endpoints get 401", async () => {
    for (const [method, url] of anonymousOnly) {
      const res = await t.call(
        method,
        url,
        url === "/friends"
          ? { email: t.emailOf(b) }
          : method === "POST"
            ? { current_password: "x", new_password: "y" }
            : undefined,
      );
      expect(res.status, `${method} ${url}`).toBe(401);
    }
  });
});

/** The page routes the next test checks (anonymous, foreign, rightful). */
const pageRoutes = [
  "GET /app",
  "GET /app/expenses",
  "GET /app/expenses/new",
  "GET /app/settle",
  "GET /app/settlements",
  "GET /app/friends",
  "GET /app/friends/:id",
  "GET /profile",
  "GET /app/expenses/:id",
  "GET /app/expenses/:id/edit",
  "GET /app/expenses/:id/delete",
  "POST /app/expenses/:id/delete",
  "POST /app/expenses/:id/edit",
  "GET /app/groups",
  "GET /app/groups/new",
  "GET /app/groups/:id",
  "GET /app/groups/:id/settings",
  "POST /app/groups/:id/settings",
  "POST /app/groups/:id/members",
  "POST /app/groups/:id/members/:userId/remove",
  "POST /app/groups/:id/archive",
  "GET /app/activity",
  "GET /app/groups/:id/activity",
  "GET /app/expenses/:id/deleted",
  "POST /app/expenses/:id/restore",
  "GET /app/settlements/:id/delete",
  "POST /app/settlements/:id/delete",
  "POST /app/settlements/:id/restore",
  "GET /app/groups/import",
  "GET /app/groups/:id/export.csv",
  "GET /app/groups/:id/export.json",
  "GET /profile/export.json",
];

/** Form posts that act on the poster's own account or create in their name: anonymous → 403. */
const ownFormPosts = [
  ["/app/expenses/new", "POST /app/expenses/new"],
  ["/app/settle", "POST /app/settle"],
  ["/app/friends", "POST /app/friends"],
  ["/app/groups/new", "POST /app/groups/new"],
  ["/profile", "POST /profile"],
  ["/profile/preferences", "POST /profile/preferences"],
  ["/profile/password", "POST /profile/password"],
  ["/profile/tokens", "POST /profile/tokens"],
  ["/profile/tokens/1/revoke", "POST /profile/tokens/:id/revoke"],
  // The import wizard's steps (the last one creates a group in the poster's name).
  ["/app/groups/import/file", "POST /app/groups/import/file"],
  ["/app/groups/import/people", "POST /app/groups/import/people"],
  ["/app/groups/import/preview", "POST /app/groups/import/preview"],
  ["/app/groups/import/confirm", "POST /app/groups/import/confirm"],
] as const;

describe("access matrix: pages", () => {
  /** Page URLs about `a`'s data; `who` is the rightful user. */
  const pages = () => [
    { url: `/app/expenses/${ownExpense}`, who: a },
    { url: `/app/expenses/${ownExpense}/edit`, who: a },
    { url: `/app/expenses/${ownExpense}/delete`, who: a },
    // A person's page: only for those who know them (f is a stranger to b).
    { url: `/app/friends/${b}`, who: a },
    // A group's pages and forms prefilled for it: members only (f is not one).
    { url: `/app/groups/${groupId}`, who: a },
    { url: `/app/groups/${groupId}/settings`, who: a },
    { url: `/app/expenses/new?group=${groupId}`, who: a },
    { url: `/app/settle?group=${groupId}&with=${b}`, who: a },
    // Activity and undo: a group's feed, a deleted expense, a settlement's delete confirmation.
    { url: `/app/groups/${groupId}/activity`, who: a },
    { url: `/app/expenses/${deletedExpense}/deleted`, who: a },
    { url: `/app/settlements/${ownSettlement}/delete`, who: a },
    // A group's downloads: members only, like its page.
    { url: `/app/groups/${groupId}/export.csv`, who: a },
    { url: `/app/groups/${groupId}/export.json`, who: a },
  ];
  const common = [
    "/app",
    "/app?simplify=1",
    "/app/expenses",
    "/app/expenses/new",
    "/app/settle",
    "/app/settlements",
    "/app/friends",
    "/app/groups",
    "/app/groups/new",
    "/app/activity",
    "/app/groups/import",
    "/profile",
    // "Download my data": always the viewer's own.
    "/profile/export.json",
  ];
  let ownExpense: number;
  let deletedExpense: number;
  let ownSettlement: number;

  it("anonymous → log-in redirect, foreign → 404, rightful → 200; a foreign form post changes nothing", async () => {
    const e = await t.call(
      "POST",
      "/expenses",
      { ...expenseBody(), description: "Page check" },
      { as: a },
    );
    ownExpense = e.body.expenseid;
    const gone = await t.call(
      "POST",
      "/expenses",
      { ...expenseBody(), description: "Gone" },
      { as: a },
    );
    deletedExpense = gone.body.expenseid;
    expect(
      (await t.call("DELETE", `/expenses/${deletedExpense}`, undefined, { as: a })).status,
    ).toBe(204);
    const paid = await t.call(
      "POST",
      "/settlements",
      { from_user: a, to_user: b, amount: "1" },
      { as: a },
    );
    ownSettlement = paid.body.settlementid;
    const owner = await t.pageSession(a);
    const foreign = await t.pageSession(f);
    for (const url of common) {
      const anon = await t.app.inject({ method: "GET", url });
      expect({ url, status: anon.statusCode }).toEqual({ url, status: 303 });
      expect(anon.headers.location).toMatch(/^\/login\?next=/);
      const mine = await t.app.inject({ method: "GET", url, headers: { cookie: owner.cookie } });
      expect({ url, status: mine.statusCode }).toEqual({ url, status: 200 });
    }
    for (const { url } of pages()) {
      const anon = await t.app.inject({ method: "GET", url });
      expect({ url, status: anon.statusCode }).toEqual({ url, status: 303 });
      const theirs = await t.app.inject({
        method: "GET",
        url,
        headers: { cookie: foreign.cookie },
      });
      expect({ url, status: theirs.statusCode }).toEqual({ url, status: 404 });
      const mine = await t.app.inject({ method: "GET", url, headers: { cookie: owner.cookie } });
      expect({ url, status: mine.statusCode }).toEqual({ url, status: 200 });
    }
    // The foreign user's own dashboard shows nothing of a's.
    const dash = await t.app.inject({
      method: "GET",
      url: "/app",
      headers: { cookie: foreign.cookie },
    });
    expect(dash.body).not.toContain("Owner");
    // Foreign form posts (with a valid CSRF token of their own) change nothing.
    const before = await snapshot();
    for (const [url, fields] of [
      [`/app/expenses/${ownExpense}/delete`, { version: "1" }],
      [
        `/app/expenses/${ownExpense}/edit`,
        {
          description: "hijack",
          amount: "1",
          paid_by: String(f),
          split_type: "EQUAL",
          participant: String(f),
          row: String(f),
        },
      ],
      [`/app/groups/${groupId}/settings`, { name: "hijack", simplify: "0" }],
      [`/app/groups/${groupId}/members`, { userid: String(f) }],
      [`/app/groups/${groupId}/members/${b}/remove`, {}],
      [`/app/groups/${groupId}/archive`, {}],
      [`/app/expenses/${deletedExpense}/restore`, {}],
      [`/app/settlements/${ownSettlement}/delete`, {}],
      [`/app/settlements/${ownSettlement}/restore`, {}],
    ] as const) {
      const res = await t.app.inject({
        method: "POST",
        url,
        headers: { cookie: foreign.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: foreign.csrf, ...fields }).toString(),
      });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
    }
    expect(await snapshot()).toBe(before);
  });
});

describe("access matrix: form posts", () => {
  it("anonymous form posts are refused (no session, no CSRF secret) and change nothing; nobody revokes another's token", async () => {
    const before = await snapshot();
    for (const [url] of ownFormPosts) {
      const anon = await t.app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "label=x&name=x&amount=1",
      });
      expect({ url, status: anon.statusCode }).toEqual({ url, status: 403 });
    }
    expect(await snapshot()).toBe(before);
    const login = await t.call("POST", "/auth/token", {
      email: t.emailOf(a),
      password: FIXTURE_PASSWORD,
    });
    const afterLogin = await snapshot();
    const foreign = await t.pageSession(f);
    const res = await t.app.inject({
      method: "POST",
      url: `/profile/tokens/${login.body.token_id}/revoke`,
      headers: { cookie: foreign.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: foreign.csrf }).toString(),
    });
    expect(res.statusCode).toBe(404);
    expect(await snapshot()).toBe(afterLogin);
  });
});

/** Routes this file does not check, and why (HEAD routes answer like their GET). */
const exempt: Record<string, string> = {
  "GET /healthz": "public liveness probe, no data",
  "GET /readyz": "public readiness probe, no data",
  "GET /openapi.json": "public API description",
  "GET /static/*": "public CSS and images",
  "GET /favicon.ico": "a redirect to the public icon",
  "POST /users": "public sign-up; inviting needs a token (test/auth/accounts.test.ts)",
  "POST /auth/token": "public log-in",
  "POST /auth/claim": "public: the one-time link's token is the credential",
  "POST /auth/claim-link": "public: answers alike for any email",
  "POST /auth/password-reset":
    "public: answers alike for any email (test/auth/password-reset.test.ts)",
  "POST /auth/password-reset/confirm": "public: the one-time link's token is the credential",
  "GET /": "redirects to /app",
  "GET /login": "public log-in page",
  "POST /login": "public log-in form",
  "GET /signup": "public sign-up page",
  "POST /signup": "public sign-up form",
  "GET /claim": "public: the one-time link's token is the credential",
  "POST /claim": "public: the one-time link's token is the credential",
  "GET /password-reset": "public: asks for an email",
  "POST /password-reset": "public: answers alike for any email",
  "GET /password-reset/confirm": "public: the one-time link's token is the credential",
  "POST /password-reset/confirm": "public: the one-time link's token is the credential",
  "POST /logout": "ends the caller's own session, if any",
  "GET /unsubscribe": "the signed link is the credential; changes nothing",
  "POST /unsubscribe": "the signed link is the credential (test/notifications/pipeline.test.ts)",
  "GET /dev/mail": "development-only mail preview (MAIL_PREVIEW)",
  "GET /dev/mail/:file": "development-only mail preview (MAIL_PREVIEW)",
};
const exemptReason = (route: string) =>
  exempt[route] ??
  (route.startsWith("HEAD ")
    ? "HEAD answers like GET"
    : /^GET \/docs(\/|$)/.test(route)
      ? "public API docs (Swagger UI)"
      : undefined);

describe("access matrix: coverage", () => {
  it("checks or exempts (with a reason) every route the app registers", () => {
    const checked = new Set([
      ...rows.map((r) => r.route),
      ...anonymousOnly.map(([method, url]) => `${method} ${url}`),
      ...pageRoutes,
      ...ownFormPosts.map(([, route]) => route),
    ]);
    const registered = recorder.routes;
    expect(registered.size).toBeGreaterThan(40);
    const unaccounted = [...registered].filter((r) => !checked.has(r) && !exemptReason(r));
    expect(unaccounted.sort(), "routes neither checked here nor exempted").toEqual([]);
    // No stale or misnamed entries: each names a registered route, each checked one was requested.
    const unknown = [...checked, ...Object.keys(exempt)].filter((r) => !registered.has(r));
    expect(unknown, "listed routes the app does not register").toEqual([]);
    const unrequested = [...checked].filter((r) => !recorder.requested.has(r));
    expect(unrequested, "routes listed as checked that no request here reached").toEqual([]);
  });
});
