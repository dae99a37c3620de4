import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { componentPairsOf } from "../../src/db/repos/balances.js";
import { pairBalances } from "../../src/db/schema.js";
import { createFixtureUser } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

// The component a simplified balance is computed over (one recursive query), checked on a real
// database with pair rows written directly, including a zero row that must not link anyone.
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.destroy());
beforeEach(async () => db.reset());

it("follows non-zero balances only (in any currency), and never into another component", async () => {
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) ids.push((await createFixtureUser(db.db, `U${i}`)).id);
  const [u1, u2, u3, u4, u5, u6] = ids as [number, number, number, number, number, number];
  const pair = (userA: number, userB: number, aOwesB: number, currency = "INR") => ({
    userA,
    userB,
    currency,
    aOwesB,
  });
  await db.db
    .insert(pairBalances)
    .values([
      pair(u1, u2, 500),
      pair(u2, u3, -100),
      pair(u4, u5, 700),
      pair(u3, u6, 0),
      pair(u1, u2, 30, "JPY"),
    ]);

  // A debt in yen links people as one in rupees does; each row keeps its currency.
  const component = [pair(u1, u2, 500), pair(u1, u2, 30, "JPY"), pair(u2, u3, -100)];
  expect(await componentPairsOf(db.db, u1)).toEqual(component);
  expect(await componentPairsOf(db.db, u3)).toEqual(component);
  expect(await componentPairsOf(db.db, u5)).toEqual([pair(u4, u5, 700)]);
  expect(await componentPairsOf(db.db, u6)).toEqual([]);
});
