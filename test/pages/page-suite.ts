import { beforeEach } from "vitest";
import type { TestAppOptions } from "../helpers/app.js";
import { appSuite } from "../helpers/app-suite.js";
import { pageClient } from "./page-client.js";

/**
 * appSuite (one app per file, an empty database and the named users before each test) plus a
 * page client whose log-in sessions are forgotten before each test. Call it at the top of the
 * file; the file's own beforeEach runs after these hooks (see appSuite).
 */
export function pageSuite<const Names extends readonly string[]>(
  opts: TestAppOptions & { users: Names },
) {
  const suite = appSuite(opts);
  const client = pageClient(() => suite.t);
  beforeEach(() => client.forget());
  return {
    get t() {
      return suite.t;
    },
    /** This test's users' ids, in the order `users` names them. */
    get users() {
      return suite.users;
    },
    get: client.get,
    post: client.post,
    session: client.session,
  };
}
