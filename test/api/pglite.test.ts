import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/client.js";

// Whatever database the rest of the suite uses, the embedded default must work too:
// same migrations, same API, data kept in DATA_DIR across restarts.
const dir = mkdtempSync(path.join(tmpdir(), "evenly-pglite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("runs the API on embedded PGlite and keeps the data across restarts", async () => {
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent" });
  const first = await openDatabase({ dataDir: config.dataDir });
  expect(first.kind).toBe("pglite");
  await first.migrate();
  const app = await buildApp({ config, database: first, logger: false });
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method: "POST", url, payload, headers });
  // Sign up and log in through the API, so accounts and tokens are stored in PGlite too.
  const signUp = async (name: string, email: string, mobile_number: string) => {
    const password = "a-long-unusual-passphrase-42";
    const user = await post("/users", { name, email, mobile_number, password });
    expect(user.statusCode).toBe(201);
    const login = await post("/auth/token", { email, password });
    expect(login.statusCode).toBe(201);
    return { ...user.json(), headers: { authorization: `Bearer ${login.json().token}` } };
  };
  const u1 = await signUp("P", "p@x.in", "9999999999");
  const u2 = await signUp("Q", "q@x.in", "9999999998");
  expect((await post("/friends", { email: "q@x.in" }, u1.headers)).statusCode).toBe(201);
  const exp = await post(
    "/expenses",
    {
      paid_by: u1.userid,
      amount: "100.00",
      split_type: "PERCENTAGE",
      participants: [u1.userid, u2.userid],
      split_values: ["12.5", "87.5"],
      description: "embedded",
    },
    u1.headers,
  );
  expect(exp.statusCode).toBe(201);
  // A settlement with a note (migration 0014's column) is stored there too.
  const paid = await post(
    "/settlements",
    { from_user: u2.userid, to_user: u1.userid, amount: "10.00", note: "cash\nthanks" },
    u2.headers,
  );
  expect(paid.statusCode).toBe(201);
  await app.close();
  await first.close();

  const second = await openDatabase({ dataDir: config.dataDir });
  await second.migrate(); // idempotent
  const app2 = await buildApp({ config, database: second, logger: false });
  // The token issued before the restart still works.
  const bal = await app2.inject({
    method: "GET",
    url: `/users/${u2.userid}/balances`,
    headers: u2.headers,
  });
  expect(bal.statusCode).toBe(200);
  expect(bal.json()).toMatchObject({
    balances: [{ to_user: u1.userid, amount: 77.5 }],
    net: -77.5,
  });
  const settlement = await app2.inject({
    method: "GET",
    url: `/settlements/${paid.json().settlementid}`,
    headers: u1.headers,
  });
  expect(settlement.json().note).toBe("cash\nthanks");
  await app2.close();
  await second.close();
});
