import { afterAll, beforeAll, beforeEach } from "vitest";
import { startTestApp, type TestApp, type TestAppOptions } from "../helpers/app.js";
import { pageClient } from "./page-client.js";

/**
 * The set-up most page test files share: one app for the file (`env`, `engine` as for
 * startTestApp); before each test an empty database, no page sessions, and fresh users made by
 * `t.user()` (friends of each other) with the names in `users`. Call it at the top of the file:
 * vitest runs `before` hooks in the order they were registered, so the file's own beforeEach
 * (copying `t` and `users` into its variables, making a group, …) runs after these.
 */
export function pageSuite<const Names extends readonly string[]>(
  opts: TestAppOptions & { users: Names },
) {
  const { users: names, ...appOptions } = opts;
  let app: TestApp | undefined;
  let ids: number[] = [];
  const started = (): TestApp => {
    if (!app) throw new Error("pageSuite: the app starts in beforeAll; use `t` in hooks and tests");
    return app;
  };
  const client = pageClient(started);
  beforeAll(async () => {
    app = await startTestApp(appOptions);
  });
  afterAll(async () => app?.close());
  beforeEach(async () => {
    await started().db.reset();
    client.forget();
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
    get: client.get,
    post: client.post,
    session: client.session,
  };
}
