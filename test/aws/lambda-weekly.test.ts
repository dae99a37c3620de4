import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeLambdaContext } from "../../src/lambda/context.js";
import { handler } from "../../src/lambda/weekly.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { lambdaEnv } from "./env.js";

const ses = mockClient(SESv2Client);
// Monday 09:00 in Asia/Kolkata, as EventBridge Scheduler passes it.
const event = { time: "2026-11-23T03:30:00Z" };
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ engine: "server" });
  Object.assign(process.env, lambdaEnv(t.db));
});
afterAll(async () => {
  ses.restore();
  await closeLambdaContext();
  await t.close();
});
beforeEach(async () => {
  ses.reset();
  await t.db.db.execute(sql`truncate outbox, notification_deliveries`);
  await t.db.reset();
});

/** a paid for a, b, c (b and c owe a); d paid for e, who settled up: d and e are square. */
async function ledger() {
  const [a, b, c, d, e] = [
    await t.user("A"),
    await t.user("B"),
    await t.user("C"),
    await t.user("D"),
    await t.user("E"),
  ];
  const expense = (paid_by: number, amount: string, participants: number[]) =>
    t.call(
      "POST",
      "/expenses",
      { paid_by, amount, split_type: "EQUAL", participants, description: "x" },
      { as: paid_by },
    );
  expect((await expense(a, "30.00", [a, b, c])).status).toBe(201);
  expect((await expense(d, "10.00", [e])).status).toBe(201);
  const settled = await t.call(
    "POST",
    "/settlements",
    { from_user: e, to_user: d, amount: "10.00" },
    { as: e },
  );
  expect(settled.status).toBe(201);
  // Only the weekly run's rows matter here.
  await t.db.db.execute(sql`truncate outbox, notification_deliveries`);
  const users = (await t.db.db.execute(sql`select id, email from users`)) as unknown as {
    rows: { id: number; email: string }[];
  };
  const emailOf = new Map(users.rows.map((u) => [u.id, u.email]));
  return { emails: (...ids: number[]) => ids.map((id) => emailOf.get(id)).sort(), a, b, c };
}

const sentTo = () =>
  ses
    .commandCalls(SendEmailCommand)
    .flatMap((call) => call.args[0].input.Destination?.ToAddresses ?? [])
    .sort();
const pendingWeekly = async () =>
  (
    (await t.db.db.execute(
      sql`select recipient_id from outbox where kind = 'weekly.summary' and published_at is null`,
    )) as unknown as { rows: { recipient_id: number }[] }
  ).rows.map((r) => r.recipient_id);

describe("weekly summary Lambda", () => {
  it("reads the database and sends one summary per user with a non-zero balance", async () => {
    const { emails, a, b, c } = await ledger();
    ses.on(SendEmailCommand).resolves({ MessageId: "ses" });
    const result = await handler(event);
    expect(result).toEqual({ week: "2026-W48", users: 3, sent: 3, skipped: 0, failed: 0 });
    expect(sentTo()).toEqual(emails(a, b, c));
    const raw = ses
      .commandCalls(SendEmailCommand)
      .map((call) => Buffer.from(call.args[0].input.Content?.Raw?.Data ?? []).toString("utf8"));
    expect(raw.every((m) => /^Subject: .*2026-W48/m.test(m))).toBe(true);
    expect(await pendingWeekly()).toEqual([]);

    // The scheduler retrying the same run sends nothing again.
    const again = await handler(event);
    expect(again).toMatchObject({ users: 3, sent: 0, failed: 0 });
    expect(sentTo()).toHaveLength(3);
  });

  it("leaves a summary SES refused pending for the relay, and sends it on the next run", async () => {
    const { emails, a, b, c } = await ledger();
    const bEmail = emails(b)[0] as string;
    ses.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput) => {
      if (input.Destination?.ToAddresses?.includes(bEmail)) throw new Error("Throttling");
      return { MessageId: "ses" };
    });
    expect(await handler(event)).toMatchObject({ users: 3, sent: 2, failed: 1 });
    expect(await pendingWeekly()).toEqual([b]);
    ses.on(SendEmailCommand).resolves({ MessageId: "ses" });
    expect(await handler(event)).toMatchObject({ sent: 1, failed: 0 });
    expect(sentTo()).toEqual([...emails(a, b, c), bEmail].sort());
    expect(await pendingWeekly()).toEqual([]);
  });
});
