import type { TestDatabase } from "../helpers/database.js";

/** The environment a deployed Lambda gets (see infra/lib/evenly-stack.ts), on the test database. */
export function lambdaEnv(db: TestDatabase): Record<string, string> {
  if (!db.url) throw new Error("the Lambda tests need the PostgreSQL server (TEST_DATABASE_URL)");
  return {
    DATABASE_URL: db.url,
    MAIL_TRANSPORT: "ses",
    AWS_REGION: "eu-west-1",
    SES_CONFIGURATION_SET: "evenly-test",
    MAIL_FROM: "Evenly <mail@evenly.test>",
    PUBLIC_URL: "https://evenly.test",
    APP_SECRET: "s".repeat(40),
    WEEKLY_SUMMARY_TZ: "Asia/Kolkata",
    // The SDK must never look for real credentials: every call is mocked.
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
}
