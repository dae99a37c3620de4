import { App } from "aws-cdk-lib";
import { EvenlyStack } from "../lib/evenly-stack.js";

// Deliberately no `env`: an environment-agnostic stack synthesizes offline, without AWS
// credentials or availability-zone lookups. Settings come from `-c key=value` or cdk.json.
const app = new App();
const ctx = (key: string, fallback: string): string =>
  (app.node.tryGetContext(key) as string | undefined) ?? fallback;
const mailFrom = ctx("mailFrom", "Evenly <notifications@example.com>");
new EvenlyStack(app, ctx("stackName", "Evenly"), {
  description: "Evenly shared expenses: Elastic Beanstalk, RDS PostgreSQL, SQS, Lambda, SES",
  mailFrom,
  senderDomain: ctx("senderDomain", /@([^>\s]+)/.exec(mailFrom)?.[1] ?? "example.com"),
  publicUrl: ctx("publicUrl", "https://evenly.example.com"),
  solutionStack: ctx("solutionStack", "64bit Amazon Linux 2023 v6.10.0 running Node.js 22"),
});
