import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SQS_BATCH_LIMIT, sqsPublisher } from "../../src/aws/sqs-publisher.js";
import { writeOutbox } from "../../src/db/repos/outbox.js";
import { MESSAGE_VERSION, type NotificationMessage } from "../../src/notifications/message.js";
import { relayOnce } from "../../src/notifications/relay.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/evenly-notifications";
const sqs = mockClient(SQSClient);
const client = new SQSClient({ region: "eu-west-1" });
let t: TestApp;
let recipient: number;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  sqs.restore();
  await t.close();
});
beforeEach(async () => {
  sqs.reset();
  await t.db.db.execute(sql`truncate outbox`);
  await t.db.reset();
  recipient = await t.user("Asha");
});

const weekly = (i: number): NotificationMessage => ({
  v: MESSAGE_VERSION,
  kind: "weekly.summary",
  dedupeKey: `test:${i}:to:${recipient}`,
  recipientId: recipient,
  payload: { week: "2026-W48", balances: [], net: i },
});

async function pendingKeys(): Promise<string[]> {
  const r = (await t.db.db.execute(
    sql`select dedupe_key from outbox where published_at is null order by id`,
  )) as unknown as { rows: { dedupe_key: string }[] };
  return r.rows.map((row) => row.dedupe_key);
}

type Entry = { Id: string; MessageBody: string };
const entriesOf = (call: number) =>
  sqs.commandCalls(SendMessageBatchCommand)[call]?.args[0].input.Entries as Entry[];

describe("outbox relay → SQS", () => {
  it("sends batches of at most 10 and marks every acknowledged record published", async () => {
    await writeOutbox(
      t.db.db,
      Array.from({ length: 25 }, (_, i) => weekly(i)),
    );
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: Entry[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
      Failed: [],
    }));
    const published = await relayOnce(t.db, sqsPublisher({ queueUrl: QUEUE_URL, client }), 200);
    expect(published).toBe(25);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length).sort()).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === QUEUE_URL)).toBe(true);
    const bodies = calls.flatMap((c) =>
      (c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? "")),
    );
    expect(new Set(bodies.map((b) => b.dedupeKey)).size).toBe(25);
    expect(bodies[0]).toMatchObject({ v: 1, kind: "weekly.summary", recipientId: recipient });
    expect(await pendingKeys()).toEqual([]);
  });

  it("keeps rejected records pending: retries server faults, not sender faults", async () => {
    await writeOutbox(
      t.db.db,
      Array.from({ length: 3 }, (_, i) => weekly(i)),
    );
    const seen = new Map<string, number>();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: Entry[] }) => {
      const Successful: { Id: string; MessageId: string }[] = [];
      const Failed: { Id: string; SenderFault: boolean; Code: string }[] = [];
      for (const e of input.Entries) {
        const key = JSON.parse(e.MessageBody).dedupeKey as string;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        // test:0 is refused for good; test:1 fails once on the server side, then succeeds.
        if (key.startsWith("test:0:")) Failed.push({ Id: e.Id, SenderFault: true, Code: "Big" });
        else if (key.startsWith("test:1:") && n === 1)
          Failed.push({ Id: e.Id, SenderFault: false, Code: "InternalError" });
        else Successful.push({ Id: e.Id, MessageId: `m-${e.Id}` });
      }
      return { Successful, Failed };
    });
    const warnings: object[] = [];
    const publisher = sqsPublisher({
      queueUrl: QUEUE_URL,
      client,
      warn: (obj) => warnings.push(obj),
    });
    expect(await relayOnce(t.db, publisher, 200)).toBe(2);
    expect(await pendingKeys()).toEqual([`test:0:to:${recipient}`]);
    // The sender fault was sent once; the server fault twice (retried within the round).
    expect(seen.get(`test:0:to:${recipient}`)).toBe(1);
    expect(seen.get(`test:1:to:${recipient}`)).toBe(2);
    expect(warnings).toHaveLength(2);
    // The next relay round offers the still-pending record again.
    expect(await relayOnce(t.db, publisher, 200)).toBe(0);
    expect(entriesOf(2)?.map((e) => JSON.parse(e.MessageBody).dedupeKey)).toEqual([
      `test:0:to:${recipient}`,
    ]);
  });

  it("publishes what one batch got through when another batch call fails", async () => {
    await writeOutbox(
      t.db.db,
      Array.from({ length: 15 }, (_, i) => weekly(i)),
    );
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(new Error("socket hang up"))
      .callsFake((input: { Entries: Entry[] }) => ({
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
      }));
    const published = await relayOnce(t.db, sqsPublisher({ queueUrl: QUEUE_URL, client }), 200);
    const failedBatch = entriesOf(0) ?? [];
    expect(published).toBe(15 - failedBatch.length);
    expect((await pendingKeys()).sort()).toEqual(
      failedBatch.map((e) => JSON.parse(e.MessageBody).dedupeKey).sort(),
    );
    expect(failedBatch.length).toBeLessThanOrEqual(SQS_BATCH_LIMIT);
  });

  it("fails the round and publishes nothing when SQS is unreachable", async () => {
    await writeOutbox(t.db.db, [weekly(1), weekly(2)]);
    sqs.on(SendMessageBatchCommand).rejects(new Error("getaddrinfo ENOTFOUND"));
    await expect(
      relayOnce(t.db, sqsPublisher({ queueUrl: QUEUE_URL, client }), 200),
    ).rejects.toThrow(/ENOTFOUND/);
    expect(await pendingKeys()).toHaveLength(2);
  });
});
