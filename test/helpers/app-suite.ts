import { afterAll, beforeAll, beforeEach } from "vitest";
import { startTestApp, type TestApp, type TestAppOptions } from "./app.js";

/**
 * The set-up most app test files share: one app for the file (`env`, `engine` as for
 * startTestApp); before each test an empty database and fresh users made by `t.user()` (friends
 * of each other) with the names in `users`. Call it at the top of the file (or of a describe):
 * vitest runs `before` hooks in the order they were registered, so the file's own beforeEach
 * (copying `t` and `users` into its variables, making a group, …) runs after these.
 */
export function appSuite<const Names extends readonly string[]>(
  opts: TestAppOptions & { users: Names },
) {
  const { users: names, ...appOptions } = opts;
  let app: TestApp | undefined;
  let ids: number[] = [];
  const started = (): TestApp => {
    if (!app) throw new Error("appSuite: the app starts in beforeAll; use `t` in hooks and tests");
    return app;
  };
  beforeAll(async () => {
    app = await startTestApp(appOptions);
  });
  afterAll(async () => app?.close());
  beforeEach(async () => {
    await started().db.reset();
    ids = [];
    for (const name of names) ids.push(await started().user(name));
  });
  return {
    get t() {
      return started();
    },
    /** This test's users' ids, in the order `users` names them. */
    get users() {
      return ids as { -readonly [K in keyof Names]: number };
    },
  };
}
