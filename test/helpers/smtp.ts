import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  url: string;
  mails: ParsedMail[];
  /** While true, every message is refused with a temporary failure (451). */
  refusing: boolean;
  refused: number;
  /** Each message is accepted only after this long (a slow server keeps jobs in flight). */
  delayMs: number;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server in the test process; every accepted message is parsed with mailparser. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: "",
    mails: [],
    refusing: false,
    refused: 0,
    delayMs: 0,
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (sink.mails.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} mails, got ${sink.mails.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (sink.delayMs > 0) await new Promise((r) => setTimeout(r, sink.delayMs));
        if (sink.refusing) {
          sink.refused++;
          const err = Object.assign(new Error("mailbox temporarily unavailable"), {
            responseCode: 451,
          });
          return callback(err);
        }
        sink.mails.push(await simpleParser(Buffer.concat(chunks)));
        callback();
      });
    },
  });
  // A client killed mid-conversation (the crash test) resets its connection: expected, not a failure.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise((resolve) => server.close(() => resolve()));
  return sink;
}
