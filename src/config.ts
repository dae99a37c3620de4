import path from "node:path";
import { z } from "zod";

/**
 * Every setting the app reads from the environment, parsed and validated once at start-up.
 * Each variable is documented in the README's configuration table; keep the two in sync.
 */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const int = (def: number, min: number, max: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).default(def));

export const configSchema = z.object({
  /** HTTP port. */
  PORT: int(3000, 0, 65535),
  /** Interface to bind; 0.0.0.0 so containers and load balancers can reach it. */
  HOST: z.preprocess(blankToUndefined, z.string().default("0.0.0.0")),
  /** Folder for the embedded database (and, later, mail previews). */
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data")),
  /** PostgreSQL server URL; without it the app uses embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /** Connections per process in the pg pool (server mode only). */
  DB_POOL_MAX: int(10, 1, 200),
  /** Largest accepted request body in bytes; larger bodies get 413. */
  BODY_LIMIT_BYTES: int(1_048_576, 1024, 50 * 1_048_576),
  /** pino log level. */
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  /** Time zone that decides "today" for expenses without a date. */
  APP_TIMEZONE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default("Asia/Kolkata")
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, "must be an IANA time zone such as Asia/Kolkata"),
  ),
  /** How many times a transaction is retried after a serialization failure or deadlock. */
  TX_MAX_RETRIES: int(5, 0, 50),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}
