import { randomBytes } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFromSecret } from "../../src/aws/db-secret.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { freePort } from "../helpers/ports.js";
import { type PrivatePostgres, startPrivatePostgres } from "../helpers/private-postgres.js";

// A rotation of the RDS password, for real: a private PostgreSQL server (the shared one trusts
// every login) where one role must log in by password; Secrets Manager is mocked.
const secrets = mockClient(SecretsManagerClient);
const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:evenly-db-Rot123";
const role = `rotating_${randomBytes(4).toString("hex")}`;
let pgp: PrivatePostgres;
let admin: pg.Client;
let handle: DatabaseHandle | undefined;

const secretWith = (password: string) => ({
  SecretString: JSON.stringify({
    username: role,
    password,
    host: "127.0.0.1",
    port: pgp.port,
    dbname: "evenly",
  }),
});
const setPassword = (password: string) => admin.query(`alter role ${role} password '${password}'`);
/** A query on a brand-new connection (the pool's idle ones keep their old login). */
async function queryOnNewConnection(h: DatabaseHandle): Promise<string> {
  const client = await (h.pool as pg.Pool).connect();
  try {
    const r = await client.query<{ who: string }>("select current_user as who");
    return r.rows[0]?.who ?? "";
  } finally {
    client.release(true); // closed, not pooled: the next call logs in again
  }
}

beforeAll(async () => {
  pgp = await startPrivatePostgres(await freePort(), {
    hba: [`host all ${role} 127.0.0.1/32 scram-sha-256`],
  });
  admin = new pg.Client({ connectionString: pgp.url });
  await admin.connect();
  await admin.query(`create role ${role} login password 'first-password'`);
}, 60_000);

afterAll(async () => {
  await handle?.close();
  await admin?.query(`drop role if exists ${role}`).catch(() => {});
  await admin?.end();
  pgp?.destroy();
});

describe("database password rotation", () => {
  it("re-reads the secret after a refused login, so new connections use the new password", async () => {
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves(secretWith("first-password"));
    const target = await databaseFromSecret(arn, new SecretsManagerClient({}));
    // Plain TCP here (RDS verifies TLS; the private server has none).
    handle = await openDatabase({ ...target, ssl: undefined, dataDir: "memory://", poolMax: 2 });
    expect(await queryOnNewConnection(handle)).toBe(role);
    expect(await queryOnNewConnection(handle)).toBe(role);
    // Cached: one read for the URL and the first logins, none per connection.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    // The rotation: new password in the database, then in the secret (AWSCURRENT).
    await setPassword("second-password");
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves(secretWith("second-password"));
    // The one connection that still tried the cached password is refused...
    await expect(queryOnNewConnection(handle)).rejects.toMatchObject({ code: "28P01" });
    // ...and every one after reads the secret again and gets in.
    expect(await queryOnNewConnection(handle)).toBe(role);
    expect(await queryOnNewConnection(handle)).toBe(role);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  }, 60_000);

  it("keeps re-reading while the secret still holds the old password (mid-rotation)", async () => {
    if (!handle) throw new Error("needs the first test");
    await setPassword("third-password"); // setSecret done, the secret not yet switched
    const before = secrets.commandCalls(GetSecretValueCommand).length;
    await expect(queryOnNewConnection(handle)).rejects.toMatchObject({ code: "28P01" });
    await expect(queryOnNewConnection(handle)).rejects.toMatchObject({ code: "28P01" });
    expect(secrets.commandCalls(GetSecretValueCommand).length).toBe(before + 1);
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves(secretWith("third-password"));
    expect(await queryOnNewConnection(handle)).toBe(role);
    expect(secrets.commandCalls(GetSecretValueCommand).length).toBe(before + 2);
  }, 60_000);
});
