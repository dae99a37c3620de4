import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeLambdaContext } from "../../src/lambda/context.js";
import { handler } from "../../src/lambda/notification.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { lambdaEnv } from "./env.js";

const ses = mockClient(SESv2Client);
let t: TestApp;
let emailOf: Map<number, string>;

beforeAll(async () => {
  t = await startTestApp({ engine: "server" });
  // Not the default (72), so the test below sees whether the Lambda reads it.
  Object.assign(process.env, lambdaEnv(t.db), { INVITE_TTL_HOURS: "5" });
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

const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "0",
    SenderId: "relay",
    ApproximateFirstReceiveTimestamp: "0",
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:evenly-notifications",
  awsRegion: "eu-west-1",
});

/** An expense among three users, and the SQS event carrying its outbox messages. */
async function expenseEvent() {
  const [a, b, c] = [await t.user("Asha"), await t.user("Bela"), await t.user("Chetan")];
  const res = await t.call(
    "POST",
    "/expenses",
    {
      paid_by: a,
      amount: "90.00",
      split_type: "EQUAL",
      participants: [a, b, c],
      description: "cab",
    },
    { as: a },
  );
  expect(res.status).toBe(201);
  const users = (await t.db.db.execute(sql`select id, email from users`)) as unknown as {
    rows: { id: number; email: string }[];
  };
  emailOf = new Map(users.rows.map((u) => [u.id, u.email]));
  const rows = (await t.db.db.execute(
    sql`select id, recipient_id, payload from outbox order by id`,
  )) as unknown as { rows: { id: number; recipient_id: number; payload: unknown }[] };
  expect(rows.rows).toHaveLength(3);
  const records = rows.rows.map((r) => record(`msg-${r.recipient_id}`, JSON.stringify(r.payload)));
  return { a, b, c, event: { Records: records } satisfies SQSEvent };
}

const sentTo = () =>
  ses
    .commandCalls(SendEmailCommand)
    .flatMap((call) => call.args[0].input.Destination?.ToAddresses ?? []);
/** The raw MIME SES received, with folded header lines unfolded. */
const rawOf = (input: SendEmailCommandInput) =>
  Buffer.from(input.Content?.Raw?.Data ?? new Uint8Array())
    .toString("utf8")
    .replace(/\r?\n[ \t]+/g, " ");

describe("SQS consumer Lambda", () => {
  it("sends each message through SES once and reports exactly the failed ones", async () => {
    const { a, b, c, event } = await expenseEvent();
    const cEmail = emailOf.get(c) as string;
    ses.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput) => {
      if (input.Destination?.ToAddresses?.includes(cEmail)) throw new Error("Throttling");
      return { MessageId: "ses-1" };
    });
    const first = await handler(event);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: `msg-${c}` }]);
    expect(sentTo().sort()).toEqual([a, b, c].map((u) => emailOf.get(u)).sort());

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input as SendEmailCommandInput;
    expect(input.ConfigurationSetName).toBe("evenly-test");
    expect(input.FromEmailAddress).toContain("mail@evenly.test");
    expect(rawOf(input)).toMatch(/^List-Unsubscribe: <https:\/\/evenly\.test\/unsubscribe\?/m);
    expect(rawOf(input)).toMatch(/^Subject: .*cab/m);
    expect(rawOf(input)).toMatch(/^X-Evenly-Dedupe-Key: expense:\d+:v1:to:\d+/m);

    // SQS redelivers the whole batch (e.g. a visibility timeout): only the failed one is sent.
    ses.on(SendEmailCommand).resolves({ MessageId: "ses-2" });
    const second = await handler(event);
    expect(second.batchItemFailures).toEqual([]);
    expect(sentTo().filter((to) => to === cEmail)).toHaveLength(2);
    expect(sentTo()).toHaveLength(4);
    const statuses = (await t.db.db.execute(
      sql`select status, count(*)::int as n from notification_deliveries group by status`,
    )) as unknown as { rows: { status: string; n: number }[] };
    expect(statuses.rows).toEqual([{ status: "sent", n: 3 }]);
  });

  it("reports malformed and unknown-version bodies as failures, without touching the rest", async () => {
    const { event } = await expenseEvent();
    ses.on(SendEmailCommand).resolves({ MessageId: "ses" });
    const good = event.Records[0] as SQSRecord;
    const v2 = JSON.stringify({ ...JSON.parse(good.body), v: 2, dedupeKey: "x" });
    const res = await handler({
      Records: [record("broken", "{not json"), good, record("future", v2)],
    });
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["broken", "future"]);
    expect(sentTo()).toHaveLength(1);
  });

  it("mints an invitation's claim link with INVITE_TTL_HOURS, like the local worker", async () => {
    const a = await t.user("Asha");
    const invited = await t.call(
      "POST",
      "/friends",
      { email: "dev@example.com", name: "Dev" },
      { as: a },
    );
    expect(invited.status).toBe(201);
    const rows = (await t.db.db.execute(
      sql`select payload from outbox where kind = 'account.invitation'`,
    )) as unknown as { rows: { payload: unknown }[] };
    expect(rows.rows).toHaveLength(1);
    ses.on(SendEmailCommand).resolves({ MessageId: "ses" });
    const sentAt = Date.now();
    const res = await handler({
      Records: [record("invite", JSON.stringify(rows.rows[0]?.payload))],
    });
    expect(res.batchItemFailures).toEqual([]);
    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input as SendEmailCommandInput;
    expect(rawOf(mail)).toMatch(/5 hours/);
    const links = (await t.db.db.execute(
      sql`select expires_at from account_links where user_id = ${invited.body.userid}`,
    )) as unknown as { rows: { expires_at: string | Date }[] };
    expect(links.rows).toHaveLength(1);
    const hours = (new Date(links.rows[0]?.expires_at as string).getTime() - sentAt) / 3_600_000;
    expect(hours).toBeGreaterThan(4.9);
    expect(hours).toBeLessThan(5.1);
  });
});
