import type { PageSession, TestApp } from "../helpers/app.js";

type Form = Record<string, string | string[]>;

/**
 * Page requests as a browser makes them, with one real log-in session per user (made on first
 * use; `forget()` between tests). `userId` 0 or absent: nobody logged in.
 */
export function pageClient(app: () => TestApp) {
  const sessions = new Map<number, PageSession>();
  async function session(userId: number): Promise<PageSession> {
    let s = sessions.get(userId);
    if (!s) {
      s = await app().pageSession(userId);
      sessions.set(userId, s);
    }
    return s;
  }
  const get = async (url: string, userId?: number) =>
    app().app.inject({
      method: "GET",
      url,
      headers: userId ? { cookie: (await session(userId)).cookie } : {},
    });
  /** A urlencoded post; `_csrf` absent or "" gets the session's token, any other value is sent. */
  const post = async (url: string, form: Form, userId: number) => {
    const s = userId ? await session(userId) : null;
    const body = new URLSearchParams();
    if (!("_csrf" in form)) body.append("_csrf", s?.csrf ?? "");
    for (const [k, v] of Object.entries(form))
      for (const x of Array.isArray(v) ? v : [v])
        body.append(k, k === "_csrf" && x === "" ? (s?.csrf ?? "") : x);
    return app().app.inject({
      method: "POST",
      url,
      headers: {
        ...(s ? { cookie: s.cookie } : {}),
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: body.toString(),
    });
  };
  return { session, get, post, forget: () => sessions.clear() };
}
