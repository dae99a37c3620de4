import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "evenly-start-"));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

it("`npm start` equivalent: starts on PORT with DATA_DIR, migrates, serves, and exits cleanly on SIGTERM", async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dir,
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const json = { "content-type": "application/json" };
  const password = "a-long-unusual-passphrase-42";
  const res = await fetch(`${base}/users`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({
      name: "Newcomer",
      email: "new@example.com",
      mobile_number: 9876543210,
      password,
    }),
  });
  expect(res.status).toBe(201);
  const { userid } = (await res.json()) as { userid: number };
  // The server runs on its own embedded database, so the test logs in through the API.
  const login = await fetch(`${base}/auth/token`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ email: "new@example.com", password }),
  });
  expect(login.status).toBe(201);
  const { token } = (await login.json()) as { token: string };
  expect((await fetch(`${base}/users/${userid}/balances`)).status).toBe(401);
  const balances = await fetch(`${base}/users/${userid}/balances`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(balances.status).toBe(200);
  expect(await balances.json()).toMatchObject({ userid, net: 0 });

  // An in-flight request: headers and half of the body sent, the rest still to come.
  const body = JSON.stringify({
    name: "Late",
    email: "late@example.com",
    mobile_number: 9876500009,
    password: "another-long-passphrase-77",
  });
  const socket = connect(port, "127.0.0.1");
  let raw = "";
  socket.on("data", (d) => (raw += d));
  const closed = new Promise<void>((r) => socket.on("close", () => r()));
  await new Promise<void>((r) => socket.once("connect", () => r()));
  socket.write(
    `POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  const exited = new Promise<number | null>((r) => child?.on("exit", (code) => r(code)));
  const killedAt = Date.now();
  child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 700));
  // Stopped accepting: a new connection is refused while the in-flight one is still open.
  const refused = await fetch(`${base}/healthz`).then(
    (r) => `answered ${r.status}`,
    (e: Error) => `refused (${(e.cause as { code?: string })?.code ?? e.message})`,
  );
  expect(refused).toMatch(/^refused/);
  socket.write(body.slice(10));
  await closed;
  expect(raw).toMatch(/^HTTP\/1\.1 201/);
  expect(await exited).toBe(0);
  console.log(
    `shutdown: SIGTERM with 1 request in flight → new connection ${refused}, in-flight request answered 201, exit 0 after ${Date.now() - killedAt} ms`,
  );
});

it("refuses to start with an invalid setting and says which", async () => {
  const env = { ...process.env, PORT: "not-a-port", DATA_DIR: dir };
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: "pipe" });
  let err = "";
  proc.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((r) => proc.on("exit", r));
  expect(code).toBe(2);
  expect(err).toContain("PORT");
});
