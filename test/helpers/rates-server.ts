import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server answers: a fixture file of test/fixtures/ecb, an HTTP error, or nothing. */
export type RatesAnswer =
  | { file: string }
  | { text: string }
  | { status: number }
  /** Sends the headers and a little of the body, then never finishes (a stuck server). */
  | "hang";

/**
 * A local HTTP server standing in for the ECB (the tests never reach the internet): `answer` says
 * what the next requests get; `requests` counts them.
 */
export interface RatesServer {
  url: string;
  answer: RatesAnswer;
  requests: number;
  close(): Promise<void>;
}

export async function startRatesServer(answer: RatesAnswer): Promise<RatesServer> {
  const open = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    rs.requests++;
    const a = rs.answer;
    if (a === "hang") {
      open.add(res);
      res.writeHead(200, { "content-type": "text/xml" });
      res.write("<?xml");
      return;
    }
    if ("status" in a) {
      res.writeHead(a.status).end("unavailable");
      return;
    }
    const body =
      "file" in a
        ? readFileSync(new URL(`../fixtures/ecb/${a.file}`, import.meta.url), "utf8")
        : a.text;
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const rs: RatesServer = {
    url: `http://127.0.0.1:${port}/stats/eurofxref/eurofxref-daily.xml`,
    answer,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return rs;
}
