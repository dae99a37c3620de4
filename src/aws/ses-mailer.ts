import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import nodemailer, { type Transporter } from "nodemailer";
import type { Mailer } from "../notifications/mailer.js";

/**
 * A nodemailer transport that sends through Amazon SES (API v2, raw MIME), so SES mail is built
 * like SMTP mail: identical headers, List-Unsubscribe and Message-ID input.
 * SES replaces the Message-ID with its own; duplicates are still prevented by the dedupe key.
 */
export function sesTransport(opts: {
  region?: string | undefined;
  configurationSet?: string | undefined;
  client?: SESv2Client;
}): Transporter {
  const sesClient = opts.client ?? new SESv2Client(opts.region ? { region: opts.region } : {});
  return nodemailer.createTransport(
    { SES: { sesClient, SendEmailCommand } },
    // Defaults merged into every message: the configuration set tracks bounces and complaints.
    opts.configurationSet ? { ses: { ConfigurationSetName: opts.configurationSet } } : {},
  );
}

/** The Mailer that sends through SES. */
export function sesMailer(
  opts: { region?: string | undefined; configurationSet?: string | undefined },
  from: string,
): Mailer {
  const transport = sesTransport(opts);
  return {
    kind: "ses",
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}
