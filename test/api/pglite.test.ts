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
  const post = (url: string, payload: object) => app.inject({ method: "POST", url, payload });
  const u1 = (
    await post("/users", { name: "P", email: "p@x.in", mobile_number: "9999999999" })
  ).json();
  const u2 = (
    await post("/users", { name: "Q", email: "q@x.in", mobile_number: "9999999998" })
  ).json();
  const exp = await post("/expenses", {
    paid_by: u1.userid,
    amount: "100.00",
    split_type: "PERCENTAGE",
    participants: [u1.userid, u2.userid],
    split_values: ["12.5", "87.5"],
    description: "embedded",
  });
  expect(exp.statusCode).toBe(201);
  await app.close();
  await first.close();

  const second = await openDatabase({ dataDir: config.dataDir });
  await second.migrate(); // idempotent
  const app2 = await buildApp({ config, database: second, logger: false });
  const bal = await app2.inject({ method: "GET", url: `/users/${u2.userid}/balances` });
  expect(bal.json()).toMatchObject({
    balances: [{ to_user: u1.userid, amount: 87.5 }],
    net: -87.5,
  });
  await app2.close();
  await second.close();
});
