import { fileURLToPath } from "node:url";
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { createAlarms } from "./alarms.js";
import { createDatabase } from "./database.js";
import { createRatesLambda, type FxRatesSchedule } from "./fx-rates.js";
import { createNotificationLambdas, type WeeklySchedule } from "./lambdas.js";
import { createMail } from "./mail.js";
import { createNetwork } from "./network.js";
import { createNotificationQueue } from "./notification-queue.js";
import type { Profile } from "./profile.js";
import { createWebApp } from "./web-app.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface EvenlyStackProps extends StackProps {
  /** Sender of every mail, e.g. `Evenly <notifications@example.com>`. */
  mailFrom: string;
  /** The SES identity mail is sent from: the sender's domain (DKIM records to publish). */
  senderDomain: string;
  /** Base URL of the web app, used in mail links. */
  publicUrl: string;
  /** Elastic Beanstalk platform, e.g. `64bit Amazon Linux 2023 v6.10.0 running Node.js 22`. */
  solutionStack: string;
  /** When the weekly summary runs (default: Monday 09:00, Asia/Kolkata). */
  weekly?: WeeklySchedule;
  /** The daily exchange-rates download (`-c fxRatesUrl=…`); none without it. */
  fxRates?: FxRatesSchedule;
  /** prod (multi-AZ, rotation, long log retention) or dev: see profile.ts. */
  profile: Profile;
}

/**
 * Evenly on AWS: the web app on Elastic Beanstalk publishes outbox records to SQS; a Lambda
 * consumes them and sends through SES; EventBridge Scheduler runs the weekly-summary Lambda (and,
 * with `fxRates`, the daily exchange-rates Lambda);
 * PostgreSQL on RDS with its credentials in Secrets Manager; alarms to an SNS topic.
 * Environment-agnostic on purpose.
 *
 * Each concern lives in its own file and adds its resources to this stack directly (no
 * intermediate construct), so the logical IDs, and with them the deployed resources, stay put.
 */
export class EvenlyStack extends Stack {
  constructor(scope: Construct, id: string, props: EvenlyStackProps) {
    super(scope, id, props);
    const { mailFrom, publicUrl, profile } = props;
    const network = createNetwork(this, profile);
    const dbSecret = createDatabase(this, network, profile);
    const queue = createNotificationQueue(this);
    const mail = createMail(this, props.senderDomain);
    createNotificationLambdas(this, {
      repoRoot,
      network,
      queue,
      dbSecret,
      mail,
      mailFrom,
      publicUrl,
      weekly: props.weekly,
      logRetention: profile.logRetention,
    });
    if (props.fxRates) {
      createRatesLambda(
        this,
        { repoRoot, network, dbSecret, logRetention: profile.logRetention },
        props.fxRates,
      );
    }
    const environment = createWebApp(this, {
      repoRoot,
      network,
      queue,
      dbSecret,
      mailFrom,
      publicUrl,
      solutionStack: props.solutionStack,
      profile,
    });
    const alarmTopic = createAlarms(this, { queue, environment, profile });

    // Without a Route 53 zone here, these CNAMEs must be published by hand to verify the domain.
    mail.identity.dkimRecords.forEach((r, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${r.name} CNAME ${r.value}` });
    });
    new CfnOutput(this, "QueueUrl", { value: queue.queue.queueUrl });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: queue.deadLetters.queueUrl });
    new CfnOutput(this, "DatabaseSecretArn", { value: dbSecret.secretArn });
    new CfnOutput(this, "AlarmTopicArn", { value: alarmTopic.topicArn });
  }
}
