import { addPairDeltasBulk, type BulkExpense, insertExpensesBulk } from "../../src/db/bulk-load.js";
import { openDatabase } from "../../src/db/client.js";
import { withRawTransaction } from "../../src/db/raw.js";
import { expenseDeltas, mergeDeltas } from "../../src/domain/debts.js";
import { splitExpense } from "../../src/domain/split.js";
import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import { BENCH_PASSWORD, benchUrl, type Crew } from "./setup.js";

/** GET `url`, failing on anything but 200 (the body is read so the connection is reused). */
export async function openPage(
  base: string,
  url: string,
  authorization?: string,
  cookie?: string,
): Promise<string> {
  const res = await fetch(`${base}${url}`, {
    headers: { ...(authorization ? { authorization } : {}), ...(cookie ? { cookie } : {}) },
    redirect: "manual",
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return text;
}

const sessionCookie = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    ?.split(";")[0] ?? "";

/** Logs the crew's payer in through the log-in form; returns the session cookie. */
export async function pageSession(base: string, crew: Crew): Promise<string> {
  const form = await fetch(`${base}/login`);
  const anon = sessionCookie(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: anon, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      _csrf: csrf,
      email: crew.email,
      password: BENCH_PASSWORD,
      next: "/app",
    }),
  });
  const cookie = sessionCookie(login);
  if (login.status !== 303 || !cookie) throw new Error(`log-in failed: ${login.status}`);
  return cookie;
}

/**
 * Debts among the crew only (payer and 19 others): a chain that connects all 20, then random
 * expenses, written with the seed's bulk loader so ledger and balances agree.
 */
export async function seedComponent(crew: Crew): Promise<void> {
  const people = [crew.payer, ...crew.others];
  let s = 17;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const list: BulkExpense[] = [];
  const add = (payer: number, participants: number[]) => {
    const amount = 1000 + Math.floor(rnd() * 500_000);
    list.push({
      description: "component",
      amount,
      splitType: "EQUAL",
      date: "2026-01-01",
      payer,
      shares: splitExpense(amount, [...new Set([payer, ...participants])], { type: "EQUAL" }),
    });
  };
  for (let i = 0; i + 1 < people.length; i++) add(people[i] as number, [people[i + 1] as number]);
  for (let i = 0; i < 40; i++)
    add(people[Math.floor(rnd() * 20)] as number, [
      people[Math.floor(rnd() * 20)] as number,
      people[Math.floor(rnd() * 20)] as number,
    ]);
  const handle = await openDatabase({ databaseUrl: benchUrl(), dataDir: "/nonexistent" });
  try {
    await withRawTransaction(handle, async (exec) => {
      await insertExpensesBulk(exec, list);
      await addPairDeltasBulk(
        exec,
        mergeDeltas(
          ...list.map((e) => expenseDeltas([{ userId: e.payer, amount: e.amount }], e.shares)),
        ),
      );
    });
  } finally {
    await handle.close();
  }
}
