import path from "node:path";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the dedupe key, so a duplicate (after a crash) carries the same Message-ID. */
  messageId: string;
  headers?: Record<string, string>;
}

/**
 * Where mail goes: SMTP or .eml files (src/smtp/), SES (src/aws/); the handler does not know
 * which. The composition roots pick one (src/adapters.ts).
 */
export interface Mailer {
  readonly kind: "smtp" | "file" | "ses";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** The folder of the .eml files the file mailer writes and the /dev/mail preview reads. */
export const mailFolder = (dataDir: string) => path.join(dataDir, "mail");

export interface MailerConfig {
  MAIL_TRANSPORT: "auto" | "smtp" | "ses" | "file";
  SMTP_URL?: string | undefined;
}

/** The configured transport; `auto` keeps the historical rule (SMTP if SMTP_URL, else files). */
export function mailTransportOf(config: MailerConfig): Mailer["kind"] {
  if (config.MAIL_TRANSPORT !== "auto") return config.MAIL_TRANSPORT;
  return config.SMTP_URL ? "smtp" : "file";
}
