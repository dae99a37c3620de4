import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { type Mailer, mailFolder } from "../notifications/mailer.js";

// The nodemailer-based Mailers: SMTP, and .eml files when no mail server is configured.

/** Sends through any nodemailer transport. */
export function transportMailer(
  kind: Mailer["kind"],
  transport: Transporter,
  from: string,
): Mailer {
  return {
    kind,
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  // Pooled: reuse a few connections instead of a TCP + SMTP handshake per mail.
  return transportMailer(
    "smtp",
    nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 3 }),
    from,
  );
}

/**
 * With no mail server configured, each message is written as an .eml file under DATA_DIR/mail,
 * named after its Message-ID (a redelivery overwrites, it does not add a copy).
 */
export function fileMailer(dataDir: string, from: string): Mailer {
  const dir = mailFolder(dataDir);
  mkdirSync(dir, { recursive: true });
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "unix",
  });
  return {
    kind: "file",
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      const name = `${Date.now()}-${mail.messageId.replace(/[^a-zA-Z0-9]/g, "").slice(0, 40)}.eml`;
      writeFileSync(path.join(dir, name), info.message as Buffer);
    },
    close: () => transport.close(),
  };
}
