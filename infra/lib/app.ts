import { App, type AppProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { EvenlyStack } from "./evenly-stack.js";
import { checkRatesUrl } from "./fx-rates.js";
import { profileFromContext } from "./profile.js";

/**
 * The CDK app: one Evenly stack, settings from context (`-c key=value` or cdk.json), checked by
 * cdk-nag's AWS Solutions pack on every synth. A finding that is neither fixed nor acknowledged
 * (with its reason, next to the resource) fails the synth. Deliberately no `env`: an
 * environment-agnostic stack synthesizes offline, without credentials or zone lookups.
 */
export function createApp(props?: AppProps): { app: App; stack: EvenlyStack } {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const ctx = (key: string, fallback: string): string =>
    (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  const fxRatesUrl = ctx("fxRatesUrl", "");
  const mailFrom = ctx("mailFrom", "Evenly <notifications@example.com>");
  const stack = new EvenlyStack(app, ctx("stackName", "Evenly"), {
    description: "Evenly shared expenses: Elastic Beanstalk, RDS PostgreSQL, SQS, Lambda, SES",
    mailFrom,
    senderDomain: ctx("senderDomain", /@([^>\s]+)/.exec(mailFrom)?.[1] ?? "example.com"),
    publicUrl: ctx("publicUrl", "https://evenly.example.com"),
    solutionStack: ctx("solutionStack", "64bit Amazon Linux 2023 v6.10.0 running Node.js 22"),
    profile: profileFromContext(app.node),
    // Off by default: `-c fxRatesUrl=https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml`
    ...(fxRatesUrl ? { fxRates: { url: checkRatesUrl(fxRatesUrl) } } : {}),
  });
  return { app, stack };
}
