import { sesMailer } from "../aws/ses-mailer.js";
import type { Config } from "../config.js";
import { type Mailer, mailTransportOf } from "../notifications/mailer.js";
import { fileMailer, smtpMailer } from "../smtp/mailer.js";

// The composition roots (main.ts, worker.ts, the Lambdas) pick the adapters here, so
// notifications/ only knows the Mailer interface it owns.

/** The mailer MAIL_TRANSPORT selects (`auto`: SMTP if SMTP_URL, else .eml files). */
export function createMailer(config: Config): Mailer {
  switch (mailTransportOf(config)) {
    case "ses":
      return sesMailer(
        { region: config.AWS_REGION, configurationSet: config.SES_CONFIGURATION_SET },
        config.MAIL_FROM,
      );
    case "smtp":
      if (!config.SMTP_URL) throw new Error("MAIL_TRANSPORT=smtp needs SMTP_URL");
      return smtpMailer(config.SMTP_URL, config.MAIL_FROM);
    default:
      return fileMailer(config.dataDir, config.MAIL_FROM);
  }
}
