import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { sesTransport } from "../aws/ses-mailer.js";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the dedupe key, so a duplicate (after a crash) carries the same Message-ID. */
  messageId: string;
  headers?: Record<string, string>;
}

/** Where mail goes: SMTP, SES (AWS) or .eml files; the handler does not know which. */
export interface Mailer {
  readonly kind: "smtp" | "file" | "ses";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Sends through any nodemailer transport (SMTP here, SES on AWS). */
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

export const mailFolder = (dataDir: string) => path.join(dataDir, "mail");

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

export interface MailerConfig {
  MAIL_TRANSPORT: "auto" | "smtp" | "ses" | "file";
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
  AWS_REGION?: string | undefined;
  SES_CONFIGURATION_SET?: string | undefined;
  dataDir: string;
}

/** The configured transport; `auto` keeps the historical rule (SMTP if SMTP_URL, else files). */
export function mailTransportOf(config: MailerConfig): Mailer["kind"] {
  if (config.MAIL_TRANSPORT !== "auto") return config.MAIL_TRANSPORT;
  return config.SMTP_URL ? "smtp" : "file";
}

export function createMailer(config: MailerConfig): Mailer {
  switch (mailTransportOf(config)) {
    case "ses":
      return transportMailer(
        "ses",
        sesTransport({
          region: config.AWS_REGION,
          configurationSet: config.SES_CONFIGURATION_SET,
        }),
        config.MAIL_FROM,
      );
    case "smtp":
      if (!config.SMTP_URL) throw new Error("MAIL_TRANSPORT=smtp needs SMTP_URL");
      return smtpMailer(config.SMTP_URL, config.MAIL_FROM);
    default:
      return fileMailer(config.dataDir, config.MAIL_FROM);
  }
}
