import pg from "pg";

/** PostgreSQL's invalid_password: the login was refused, e.g. after the password was rotated. */
export const INVALID_PASSWORD = "28P01";

/**
 * The database password from Secrets Manager, cached. After a login with it fails (rotation),
 * the next connection reads the secret again, and so does every one after until a login works:
 * during a rotation the secret may briefly still hold the old password.
 */
export class SecretPassword {
  private cached: Promise<string> | undefined;

  constructor(private readonly read: () => Promise<string>) {}

  get(): Promise<string> {
    this.cached ??= this.read().catch((err) => {
      this.cached = undefined; // a failed read is retried by the next connection
      throw err;
    });
    return this.cached;
  }

  /** Called when a login failed: the next get() reads the secret again. */
  invalidate(): void {
    this.cached = undefined;
  }
}

const loginRefused = (err: unknown): boolean => {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === INVALID_PASSWORD || e?.cause?.code === INVALID_PASSWORD;
};

/**
 * A node-postgres Client class whose every new connection logs in with the secret's current
 * password, and which invalidates it when the login is refused. Given to the pool (`Client`), so
 * after a rotation the app's new connections use the new password; open ones are unaffected.
 */
export function clientWithSecretPassword(password: SecretPassword): typeof pg.Client {
  return class SecretPasswordClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // pg calls a function password once per connection attempt (the URL's is ignored).
      (this as { password: unknown }).password = () => password.get();
    }

    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (callback or promise)
    override connect(callback?: any): any {
      const watch = (err: unknown) => {
        if (loginRefused(err)) password.invalidate();
      };
      if (callback) {
        return super.connect((...args: unknown[]) => {
          watch(args[0]);
          callback(...args);
        });
      }
      return super.connect().catch((err: unknown) => {
        watch(err);
        throw err;
      });
    }
  };
}
