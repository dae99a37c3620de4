import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verifyLedger } from "../../src/services/ledger.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { sqlRecomputedPairs, storedPairs } from "../helpers/ledger-sql.js";
import { testSeed } from "../helpers/seed.js";

/**
 * Model-based test: random command sequences run against the real API and a tiny in-memory model
 * of the ledger; after every step the stored balances, the SQL recomputation, every user's net
 * through the API and the model agree. Replay a failure with TEST_SEED (and MODEL_PATH) as
 * printed by fast-check.
 */

const USERS = 4;
const RUNS = Number(process.env.MODEL_RUNS ?? 25);
const SEED = testSeed;
const PATH = process.env.MODEL_PATH;

interface ModelExpense {
  id: number;
  version: number;
  /** Who added it: with the current payer, the only ones who may change it (while they see it). */
  creator: number;
  payer: number;
  shares: [number, number][];
  deleted: boolean;
}
interface Model {
  users: number[];
  expenses: ModelExpense[];
  pairs: Map<string, number>;
  /** Idempotency keys are per user: a retry is sent by the user who sent the original. */
  keys: { key: string; actor: number; path: string; body: unknown; response: unknown }[];
  nextKey: number;
  run: number;
}
let runs = 0;
interface Real {
  t: TestApp;
}

const stats = { steps: 0, checks: 0, byCommand: {} as Record<string, number> };

function addPair(m: Model, debtor: number, creditor: number, amount: number) {
  if (debtor === creditor || amount === 0) return;
  const [a, b] = debtor < creditor ? [debtor, creditor] : [creditor, debtor];
  const k = `${a}:${b}`;
  const v = (m.pairs.get(k) ?? 0) + (debtor < creditor ? amount : -amount);
  if (v === 0) m.pairs.delete(k);
  else m.pairs.set(k, v);
}
function applyExpense(m: Model, e: { payer: number; shares: [number, number][] }, sign: 1 | -1) {
  for (const [u, share] of e.shares) addPair(m, u, e.payer, sign * share);
}

interface Spec {
  payer: number;
  participants: number[];
  amount: number;
  exact: boolean;
}
const specArb: fc.Arbitrary<Spec> = fc.record({
  payer: fc.nat(USERS - 1),
  participants: fc.uniqueArray(fc.nat(USERS - 1), { minLength: 1, maxLength: USERS }),
  amount: fc.integer({ min: 1, max: 2_000_000 }),
  exact: fc.boolean(),
});
/** The shares the model expects: EQUAL leftovers go to the first participants; EXACT as sent. */
function sharesOf(m: Model, s: Spec): [number, number][] {
  const n = s.participants.length;
  const each = Math.floor(s.amount / n);
  return s.participants.map((p, i) => [
    m.users[p] as number,
    s.exact ? (i === 0 ? s.amount - each * (n - 1) : each) : each + (i < s.amount % n ? 1 : 0),
  ]);
}
function bodyOf(m: Model, s: Spec) {
  const shares = sharesOf(m, s);
  return {
    paid_by: m.users[s.payer],
    amount: (s.amount / 100).toFixed(2),
    split_type: s.exact ? "EXACT" : "EQUAL",
    participants: shares.map(([u]) => u),
    ...(s.exact ? { split_values: shares.map(([, v]) => (v / 100).toFixed(2)) } : {}),
    description: "model",
  };
}

/** Each run has its own users, so only their pairs are compared (no truncate between runs). */
function ofUsers(m: Model, pairs: Map<string, number>): Map<string, number> {
  const mine = new Set(m.users);
  return new Map([...pairs].filter(([k]) => k.split(":").every((id) => mine.has(Number(id)))));
}

async function check(m: Model, r: Real) {
  expect(ofUsers(m, await storedPairs(r.t.db.db))).toEqual(m.pairs);
  expect(ofUsers(m, await sqlRecomputedPairs(r.t.db.db))).toEqual(m.pairs);
  for (const u of m.users) {
    let net = 0;
    for (const [k, v] of m.pairs) {
      const [a, b] = k.split(":").map(Number);
      if (a === u) net -= v;
      if (b === u) net += v;
    }
    const res = await r.t.call("GET", `/users/${u}/balances`, undefined, { as: u });
    expect(Math.round(res.body.net * 100), `net of user ${u}`).toBe(net);
  }
  stats.checks++;
}

const count = (name: string) => {
  stats.steps++;
  stats.byCommand[name] = (stats.byCommand[name] ?? 0) + 1;
};

class CreateExpense implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly s: Spec,
    readonly withKey: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    count("create");
    const body = bodyOf(m, this.s);
    const key = this.withKey ? `r${m.run}-k${m.nextKey++}` : undefined;
    const res = await r.t.call("POST", "/expenses", body, {
      as: body.paid_by as number,
      headers: key ? { "idempotency-key": key } : {},
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const shares = sharesOf(m, this.s);
    expect(
      res.body.participants.map((p: { amount: number }) => Math.round(p.amount * 100)),
    ).toEqual(shares.map(([, v]) => v));
    const e = {
      id: res.body.expenseid,
      version: 1,
      creator: body.paid_by as number,
      payer: body.paid_by as number,
      shares,
      deleted: false,
    };
    m.expenses.push(e);
    applyExpense(m, e, 1);
    if (key)
      m.keys.push({
        key,
        actor: body.paid_by as number,
        path: "/expenses",
        body,
        response: res.body,
      });
    await check(m, r);
  }
  toString = () => `create(${JSON.stringify(this.s)}, key=${this.withKey})`;
}

class EditExpense implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly s: Spec,
    readonly stale: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.expenses.length > 0;
  async run(m: Model, r: Real) {
    const e = m.expenses[this.pick % m.expenses.length] as ModelExpense;
    const body = bodyOf(m, this.s);
    const tag = this.stale ? `"${e.version - 1}"` : `"${e.version}"`;
    // The actor may change it (its payer, or its creator while still in it) and takes part in the
    // new version; when neither does, the payer sends it and is refused (403, nothing changes).
    const sees = (u: number) => u === e.payer || e.shares.some(([s]) => s === u);
    const inNew = (u: number) => u === body.paid_by || body.participants.includes(u);
    const allowed = [e.payer, e.creator].filter((u) => sees(u) && inNew(u));
    const actor = allowed[0] ?? e.payer;
    count(this.stale ? "edit-stale" : allowed.length === 0 ? "edit-refused" : "edit");
    const res = await r.t.call("PUT", `/expenses/${e.id}`, body, {
      as: actor,
      headers: { "if-match": tag },
    });
    if (e.deleted) expect(res.status).toBe(404);
    else if (this.stale) expect(res.status).toBe(412);
    else if (allowed.length === 0) expect(res.status, JSON.stringify(res.body)).toBe(403);
    else {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.etag).toBe(`"${e.version + 1}"`);
      applyExpense(m, e, -1);
      e.version++;
      e.payer = body.paid_by as number;
      e.shares = sharesOf(m, this.s);
      applyExpense(m, e, 1);
    }
    await check(m, r);
  }
  toString = () => `edit(#${this.pick}, ${JSON.stringify(this.s)}, stale=${this.stale})`;
}

class DeleteExpense implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly ifMatch: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.expenses.length > 0;
  async run(m: Model, r: Real) {
    count("delete");
    const e = m.expenses[this.pick % m.expenses.length] as ModelExpense;
    const res = await r.t.call("DELETE", `/expenses/${e.id}`, undefined, {
      as: e.payer,
      headers: this.ifMatch ? { "if-match": `"${e.version}"` } : {},
    });
    if (e.deleted) expect(res.status).toBe(404);
    else {
      expect(res.status).toBe(204);
      applyExpense(m, e, -1);
      e.deleted = true;
    }
    await check(m, r);
  }
  toString = () => `delete(#${this.pick}, ifMatch=${this.ifMatch})`;
}

class Settle implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly amount: number,
    readonly withKey: boolean,
  ) {}
  check = () => this.from !== this.to;
  async run(m: Model, r: Real) {
    count("settle");
    const [from, to] = [m.users[this.from] as number, m.users[this.to] as number];
    const body = { from_user: from, to_user: to, amount: (this.amount / 100).toFixed(2) };
    const key = this.withKey ? `r${m.run}-k${m.nextKey++}` : undefined;
    const res = await r.t.call("POST", "/settlements", body, {
      as: from,
      headers: key ? { "idempotency-key": key } : {},
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    addPair(m, to, from, this.amount);
    if (key) m.keys.push({ key, actor: from, path: "/settlements", body, response: res.body });
    await check(m, r);
  }
  toString = () => `settle(${this.from}→${this.to}, ${this.amount}, key=${this.withKey})`;
}

class RetryWithKey implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly changeBody: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.keys.length > 0;
  async run(m: Model, r: Real) {
    count(this.changeBody ? "retry-other-body" : "retry");
    const k = m.keys[this.pick % m.keys.length] as Model["keys"][number];
    const body = this.changeBody
      ? { ...(k.body as Record<string, unknown>), amount: "0.01" }
      : k.body;
    const res = await r.t.call("POST", k.path, body, {
      as: k.actor,
      headers: { "idempotency-key": k.key },
    });
    if (this.changeBody) expect(res.status).toBe(422);
    else {
      expect(res.status).toBe(201);
      expect(res.body).toEqual(k.response);
      expect(res.headers["idempotent-replayed"]).toBe("true");
    }
    await check(m, r);
  }
  toString = () => `retry(key #${this.pick}, changeBody=${this.changeBody})`;
}

const user = fc.nat(USERS - 1);
const commands = [
  fc.tuple(specArb, fc.boolean()).map(([s, k]) => new CreateExpense(s, k)),
  fc.tuple(fc.nat(), specArb, fc.boolean()).map(([p, s, st]) => new EditExpense(p, s, st)),
  fc.tuple(fc.nat(), fc.boolean()).map(([p, im]) => new DeleteExpense(p, im)),
  fc
    .tuple(user, user, fc.integer({ min: 1, max: 500_000 }), fc.boolean())
    .map(([f, t, a, k]) => new Settle(f, t, a, k)),
  fc.tuple(fc.nat(), fc.boolean()).map(([p, c]) => new RetryWithKey(p, c)),
];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

it("random command sequences keep API, SQL recomputation and the model in agreement", async () => {
  console.log(
    `model test: seed ${SEED}${PATH ? `, path ${PATH}` : ""}, ${RUNS} runs (replay: TEST_SEED=${SEED})`,
  );
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "+1" }), async (cmds) => {
      const users: number[] = [];
      for (let i = 0; i < USERS; i++) users.push(await t.user("M"));
      const model: Model = {
        users,
        expenses: [],
        pairs: new Map(),
        keys: [],
        nextKey: 0,
        run: runs++,
      };
      await fc.asyncModelRun(() => ({ model, real: { t } }), cmds);
      const report = await verifyLedger(t.db.db);
      expect(report.ok, JSON.stringify(report)).toBe(true);
    }),
    { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH } : {}), endOnFailure: true },
  );
  console.log(
    `model test: ${RUNS} sequences, ${stats.steps} steps ${JSON.stringify(stats.byCommand)}, ${stats.checks} invariant checks passed (stored = SQL = API nets = model)`,
  );
});
