import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { sql } from "drizzle-orm";
import { parse } from "pg-connection-string";
import { afterAll, describe, expect, it } from "vitest";
import { databaseFromSecret, resolveDatabase } from "../../src/aws/db-secret.js";
import { createMailer } from "../../src/compose/mailer.js";
import { startQueue } from "../../src/compose/queue.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { mailTransportOf } from "../../src/notifications/mailer.js";
import { startTestApp } from "../helpers/app.js";

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/evenly-notifications";
const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
afterAll(() => {
  sqs.restore();
  secrets.restore();
});

describe("AWS configuration", () => {
  it("defaults to the local queue and the SMTP-or-files mail rule", () => {
    const c = loadConfig({});
    expect(c.QUEUE).toBe("pgboss");
    expect(mailTransportOf(c)).toBe("file");
    expect(mailTransportOf(loadConfig({ SMTP_URL: "smtp://localhost:25" }))).toBe("smtp");
  });

  it("takes APP_CURRENCY as an ISO 4217 code, INR by default", () => {
    expect(loadConfig({}).APP_CURRENCY).toBe("INR");
    expect(loadConfig({ APP_CURRENCY: "JPY" }).APP_CURRENCY).toBe("JPY");
    expect(() => loadConfig({ APP_CURRENCY: "usd" })).toThrow(/APP_CURRENCY: must be an ISO 4217/);
    expect(() => loadConfig({ APP_CURRENCY: "XYZ" })).toThrow(/APP_CURRENCY/);
  });

  it("names what each AWS choice is missing", () => {
    expect(() => loadConfig({ QUEUE: "sqs" })).toThrow(ConfigError);
    expect(() => loadConfig({ QUEUE: "sqs" })).toThrow(/SQS_QUEUE_URL: required with QUEUE=sqs/);
    expect(() => loadConfig({ QUEUE: "sqs", SQS_QUEUE_URL: QUEUE_URL })).toThrow(/AWS_REGION/);
    expect(() => loadConfig({ MAIL_TRANSPORT: "ses" })).toThrow(/AWS_REGION: required/);
    expect(() => loadConfig({ MAIL_TRANSPORT: "smtp" })).toThrow(/SMTP_URL: required/);
    expect(() => loadConfig({ QUEUE: "kafka" })).toThrow(/QUEUE/);
    expect(() => loadConfig({ DATABASE_SECRET_ARN: "evenly" })).toThrow(/Secrets Manager ARN/);
    const c = loadConfig({ QUEUE: "sqs", SQS_QUEUE_URL: QUEUE_URL, AWS_REGION: "eu-west-1" });
    expect(c.SQS_QUEUE_URL).toBe(QUEUE_URL);
  });

  it("selects the SES mailer with MAIL_TRANSPORT=ses", () => {
    const mailer = createMailer(loadConfig({ MAIL_TRANSPORT: "ses", AWS_REGION: "eu-west-1" }));
    expect(mailer.kind).toBe("ses");
    mailer.close();
  });
});

describe("database credentials from Secrets Manager", () => {
  const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:evenly-db-AbCdEf";

  it("builds the URL from the RDS secret and verifies TLS against Amazon's CAs", async () => {
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({
      SecretString: JSON.stringify({
        username: "evenly",
        password: "p@ss:w/rd%",
        host: "db.abc.eu-west-1.rds.amazonaws.com",
        port: 5432,
        dbname: "evenly",
      }),
    });
    const target = await databaseFromSecret(arn, new SecretsManagerClient({}));
    const parsed = parse(target.databaseUrl as string);
    expect(parsed).toMatchObject({
      user: "evenly",
      password: "p@ss:w/rd%",
      host: "db.abc.eu-west-1.rds.amazonaws.com",
      port: "5432",
      database: "evenly",
    });
    expect(target.ssl?.ca?.length).toBeGreaterThan(10);
  });

  it("lets DATABASE_URL win, and reads the secret only without it", async () => {
    secrets.reset();
    expect(
      await resolveDatabase({ DATABASE_URL: "postgres://x@h/db", DATABASE_SECRET_ARN: arn }),
    ).toEqual({ databaseUrl: "postgres://x@h/db" });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(await resolveDatabase({})).toEqual({ databaseUrl: undefined });
  });
});

describe("QUEUE=sqs", () => {
  it("runs only the outbox relay, which publishes new expenses' messages to SQS", async () => {
    const t = await startTestApp();
    sqs.on(SendMessageBatchCommand).callsFake(async (input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: e.Id })),
    }));
    const config = loadConfig({
      QUEUE: "sqs",
      SQS_QUEUE_URL: QUEUE_URL,
      AWS_REGION: "eu-west-1",
      OUTBOX_POLL_MS: "50",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    const runtime = await startQueue(t.db, config, { info() {}, error() {} });
    try {
      const [a, b] = [await t.user("A"), await t.user("B")];
      const body = {
        paid_by: a,
        amount: 10,
        split_type: "EQUAL",
        participants: [a, b],
        description: "x",
      };
      expect((await t.call("POST", "/expenses", body, { as: a })).status).toBe(201);
      runtime.kick();
      const deadline = Date.now() + 10_000;
      while (sqs.commandCalls(SendMessageBatchCommand).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const sent = sqs
        .commandCalls(SendMessageBatchCommand)
        .flatMap((c) => c.args[0].input.Entries ?? [])
        .map((e) => JSON.parse(e.MessageBody ?? "{}"));
      expect(sent.map((m) => m.recipientId).sort()).toEqual([a, b].sort());
      expect(sent.every((m) => m.kind === "expense.added" && m.v === 1)).toBe(true);
      // No pg-boss in this mode: its schema was never created.
      const boss = (await t.db.db.execute(
        sql`select to_regclass('pgboss.job')::text as t`,
      )) as unknown as { rows: { t: string | null }[] };
      expect(boss.rows[0]?.t).toBeNull();
    } finally {
      await runtime.stop();
      await t.close();
    }
  });
});
