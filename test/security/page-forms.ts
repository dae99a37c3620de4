import { SESSION_COOKIE } from "../../src/http/auth/page-session.js";
import { cookieFrom, csrfFrom, type PageSession, type TestApp } from "../helpers/app.js";

/** An anonymous page session (the log-in page's cookie and CSRF token). */
export async function anonymousSession(t: TestApp): Promise<PageSession> {
  const page = await t.app.inject({ method: "GET", url: "/login" });
  return {
    cookie: cookieFrom(page.headers["set-cookie"], SESSION_COOKIE) ?? "",
    csrf: csrfFrom(page.body),
  };
}

/** A urlencoded form post as a browser sends it, with the session's cookie and CSRF token. */
export function postForm(
  t: TestApp,
  session: PageSession,
  url: string,
  fields: Record<string, string | string[]>,
) {
  const body = new URLSearchParams({ _csrf: session.csrf });
  for (const [k, v] of Object.entries(fields))
    for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: body.toString(),
  });
}

/** The form's error summary and field messages as text (HTML entities of quotes undone). */
export const pageText = (html: string) =>
  html.replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"');
