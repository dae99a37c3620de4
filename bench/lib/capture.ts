import pg from "pg";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/client.js";
import { benchUrl, type Crew, expenseBody } from "./setup.js";

/** One statement of the create-expense transaction as the app sent it. */
export interface Statement {
  text: string;
  params: unknown[];
}

export interface CapturedTransaction {
  statements: Statement[];
  /** The expense id the capture created (replays substitute the new one). */
  expenseId: number;
  /** Index of the statement whose first returned row carries the new expense's id. */
  insertIndex: number;
}

/** Expense ids from here on have 9 digits, so a replay can substitute them without ambiguity. */
const ID_FLOOR = 900_000_000;

/**
 * Records every statement of one POST /expenses through the real app (its query logger), minus
 * the bearer-token look-up that precedes the transaction: what the database ceiling replays.
 */
export async function captureCreateExpense(
  crew: Crew,
  participants: number,
): Promise<CapturedTransaction> {
  const c = new pg.Client({ connectionString: benchUrl() });
  await c.connect();
  // Only ever forwards: requests still in flight from the last run are taking ids too.
  await c.query(
    `select setval(s, ${ID_FLOOR}) from pg_get_serial_sequence('expenses', 'id') s
     where nextval(s) < ${ID_FLOOR}`,
  );
  await c.end();
  const statements: Statement[] = [];
  let recording = false;
  const database = await openDatabase({
    databaseUrl: benchUrl(),
    dataDir: "/nonexistent",
    logger: {
      logQuery: (text, params) => {
        if (recording) statements.push({ text, params: [...params] });
      },
    },
  });
  const config = loadConfig({ DATABASE_URL: benchUrl(), LOG_LEVEL: "silent" });
  const app = await buildApp({ config: { ...config, LOG_LEVEL: "error" }, database });
  try {
    recording = true;
    const res = await app.inject({
      method: "POST",
      url: "/expenses",
      headers: { authorization: `Bearer ${crew.token}`, "content-type": "application/json" },
      payload: expenseBody(crew, participants),
    });
    recording = false;
    if (res.statusCode !== 201) throw new Error(`capture: ${res.statusCode} ${res.body}`);
    const expenseId = Number(JSON.parse(res.body).expenseid);
    const tx = statements.filter(
      (s) => !/"api_tokens"/.test(s.text) && !/^(begin|commit|rollback)\b/i.test(s.text.trim()),
    );
    const insertIndex = tx.findIndex((s) => /insert into "expenses"/i.test(s.text));
    if (insertIndex < 0) throw new Error("capture: no insert into expenses");
    return { statements: tx, expenseId, insertIndex };
  } finally {
    await app.close();
    await database.close();
  }
}
