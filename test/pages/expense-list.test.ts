import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { pageClient } from "./page-client.js";

let t: TestApp;
let a: number;
let b: number;

/** 25 expenses: E1…E25, one a day from 2026-09-20 (so they span September and October). */
beforeAll(async () => {
  t = await startTestApp();
  a = await t.user("Asha");
  b = await t.user("Bela");
  for (let i = 1; i <= 25; i++) {
    const day = new Date(Date.UTC(2026, 8, 19 + i)).toISOString().slice(0, 10);
    const res = await t.call(
      "POST",
      "/expenses",
      {
        paid_by: a,
        amount: String(i * 10),
        split_type: "EQUAL",
        participants: [a, b],
        description: i % 5 === 0 ? `Taxi_${i}` : `E${i}`,
        date: day,
      },
      { as: a },
    );
    expect(res.status).toBe(201);
  }
});
afterAll(async () => t?.close());

const { get } = pageClient(() => t);
const names = (html: string) =>
  [...html.matchAll(/class="desc">([^<]+)</g)].map((m) => m[1] as string);
const href = (html: string, rel: "next" | "prev") =>
  new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll("&amp;", "&");
const expected = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, k) => from - k).map((i) =>
    i % 5 === 0 ? `Taxi_${i}` : `E${i}`,
  );

describe("the expense list pages", () => {
  test("Older and Newer walk the same pages both ways", async () => {
    const first = await get("/app/expenses", a);
    expect(names(first.body)).toEqual(expected(25, 6));
    expect(href(first.body, "prev")).toBeUndefined();
    const older = await get(href(first.body, "next") as string, a);
    expect(names(older.body)).toEqual(expected(5, 1));
    expect(href(older.body, "next")).toBeUndefined();
    const newer = await get(href(older.body, "prev") as string, a);
    expect(names(newer.body)).toEqual(expected(25, 6));
    // Back on the newest page: nothing newer.
    expect(href(newer.body, "prev")).toBeUndefined();
    expect(href(newer.body, "next")).toBeDefined();
  });

  test("each month heading carries the whole month's totals, also across pages", async () => {
    // September: E1…E11 (20th–30th) = 10+…+110 = 660 → your share 330; October: E12…E25.
    const heads = (html: string) =>
      [
        ...html.matchAll(
          /class="month-name">([^<]+)<\/span> <span class="month-total"[^>]*>([^<]+)</g,
        ),
      ].map((m) => `${m[1]}: ${m[2]}`);
    const first = await get("/app/expenses", a);
    expect(heads(first.body)).toEqual([
      "October 2026: ₹2,590.00 in 14 expenses · your share ₹1,295.00",
      "September 2026: ₹660.00 in 11 expenses · your share ₹330.00",
    ]);
    const older = await get(href(first.body, "next") as string, a);
    expect(heads(older.body)).toEqual([
      "September 2026: ₹660.00 in 11 expenses · your share ₹330.00",
    ]);
  });

  test("search by description: any case, _ and % literal; filters kept in the page links", async () => {
    const taxi = await get("/app/expenses?q=TAXI", a);
    expect(names(taxi.body)).toEqual(["Taxi_25", "Taxi_20", "Taxi_15", "Taxi_10", "Taxi_5"]);
    expect(taxi.body).toContain('value="TAXI"');
    expect(names((await get("/app/expenses?q=i_2", a)).body)).toEqual(["Taxi_25", "Taxi_20"]);
    expect(names((await get("/app/expenses?q=%25", a)).body)).toEqual([]);
    // A search with a control character (NUL reached PostgreSQL: a 500) is no search, as a
    // search the page does not understand: the list as without one.
    for (const q of ["%00", "Taxi%00", "a%09b", "%C2%85", "%E2%80%A8"]) {
      const res = await get(`/app/expenses?q=${q}`, a);
      expect(res.statusCode, q).toBe(200);
      expect(names(res.body), q).toEqual(expected(25, 6));
    }
    // A filter that spans two pages is kept in "Older" and "Newer".
    const withB = await get(`/app/expenses?person=${b}`, a);
    expect(names(withB.body)).toHaveLength(20);
    const next = href(withB.body, "next") as string;
    expect(next).toMatch(new RegExp(`^/app/expenses\\?person=${b}&cursor=`));
    expect(href((await get(next, a)).body, "prev")).toMatch(
      new RegExp(`^/app/expenses\\?person=${b}&newer=`),
    );
    // The month totals count only the matches.
    expect(taxi.body).toContain("₹600.00 in 3 expenses");
    expect(taxi.body).toContain("₹150.00 in 2 expenses");
    // Bela, who only shares, sees "you borrowed"; Asha "you lent".
    expect((await get("/app/expenses?q=Taxi_5", b)).body).toMatch(
      /class="part borrowed">you borrowed ₹25.00</,
    );
    expect((await get("/app/expenses?q=Taxi_5", a)).body).toMatch(
      /class="part lent">you lent ₹25.00</,
    );
  });
});
