import path from "node:path";
import {
  Duration,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_lambda_nodejs as nodejs,
  aws_scheduler as scheduler,
  type aws_secretsmanager as sm,
  TimeZone,
  aws_scheduler_targets as targets,
  Validations,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Mail } from "./mail.js";
import type { Network } from "./network.js";
import { CONSUMER_TIMEOUT, type NotificationQueue } from "./notification-queue.js";

/** Weekly summary: cron fields and time zone (EventBridge Scheduler evaluates it there). */
export interface WeeklySchedule {
  minute: string;
  hour: string;
  weekDay: string;
  timeZone: TimeZone;
}

export interface LambdaProps {
  repoRoot: string;
  network: Network;
  queue: NotificationQueue;
  dbSecret: sm.ISecret;
  mail: Mail;
  mailFrom: string;
  publicUrl: string;
  weekly?: WeeklySchedule;
  logRetention: logs.RetentionDays;
}

/** The newest Node.js Lambda runtime aws-cdk-lib knows, and the matching esbuild target. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
const ESBUILD_TARGET = "node24";

/**
 * LambdaInvoke grants `lambda:InvokeFunction` on the function and on `<arn>:*` (every version and
 * alias). The schedule invokes the unqualified function, so grant exactly that ARN.
 */
export class InvokeFunction extends targets.LambdaInvoke {
  constructor(
    private readonly target: lambda.IFunction,
    props: targets.ScheduleTargetBaseProps,
  ) {
    super(target, props);
  }
  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: [this.target.functionArn],
      }),
    );
  }
}

/** Why the Lambda roles keep the AWS managed policies CDK attaches (cdk-nag IAM4). */
const LAMBDA_MANAGED_POLICIES = [
  {
    id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    reason:
      "AWS maintains this policy for exactly this purpose: a Lambda writing its own logs (to its log group with set retention)",
  },
  {
    id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]",
    reason:
      "AWS maintains this policy for exactly this purpose: the network interfaces of a Lambda in a VPC (EC2 does not scope them to resources)",
  },
];

/** What every app Lambda shares: where the code is, the network, the secret, log retention. */
export type FunctionProps = Pick<LambdaProps, "repoRoot" | "network" | "dbSecret" | "logRetention">;

/**
 * One of the app's Lambdas: a handler of src/lambda/ bundled by the local esbuild (ESM, no
 * Docker), arm64 on the newest Node.js runtime, in the app subnets (the caller grants it the
 * database secret and whatever else it needs).
 */
export function bundledFunction(
  scope: Construct,
  o: FunctionProps,
  name: string,
  entry: string,
  timeout: Duration,
  env: Record<string, string>,
): nodejs.NodejsFunction {
  const f = new nodejs.NodejsFunction(scope, name, {
    entry: path.join(o.repoRoot, entry),
    handler: "handler",
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout,
    vpc: o.network.vpc,
    vpcSubnets: o.network.appSubnets,
    securityGroups: [o.network.lambdaSg],
    environment: {
      DATABASE_SECRET_ARN: o.dbSecret.secretArn,
      NODE_OPTIONS: "--enable-source-maps",
      ...env,
    },
    logGroup: new logs.LogGroup(scope, `${name}Logs`, { retention: o.logRetention }),
    projectRoot: o.repoRoot,
    depsLockFilePath: path.join(o.repoRoot, "package-lock.json"),
    bundling: {
      // The local esbuild from node_modules: no Docker, works offline.
      forceDockerBundling: false,
      format: nodejs.OutputFormat.ESM,
      target: ESBUILD_TARGET,
      mainFields: ["module", "main"],
      minify: true,
      sourceMap: true,
      // CommonJS dependencies (pg) call require(); give the ESM bundle one.
      banner:
        "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      // The AWS SDK is bundled (the version tested), pg's optional native binding is not.
      externalModules: ["pg-native"],
    },
  });
  for (const ack of LAMBDA_MANAGED_POLICIES) Validations.of(f).acknowledge(ack);
  return f;
}

/**
 * The Lambdas that send mail: the SQS consumer of notifications and the weekly summary, run by
 * an EventBridge Scheduler cron. Both bundle the shared handlers of src/lambda/.
 */
export function createNotificationLambdas(scope: Construct, o: LambdaProps): void {
  const mailEnv = {
    MAIL_TRANSPORT: "ses",
    SES_CONFIGURATION_SET: o.mail.configurationSet.configurationSetName,
    MAIL_FROM: o.mailFrom,
    PUBLIC_URL: o.publicUrl,
  };
  const fn = (name: string, entry: string, timeout: Duration, env: Record<string, string>) =>
    bundledFunction(scope, o, name, entry, timeout, { ...mailEnv, ...env });

  const consumer = fn("NotificationConsumer", "src/lambda/notification.ts", CONSUMER_TIMEOUT, {});
  const queueArn = o.queue.queue.queueArn;
  consumer.addEventSourceMapping("FromQueue", {
    eventSourceArn: queueArn,
    batchSize: 10,
    maxBatchingWindow: Duration.seconds(5),
    reportBatchItemFailures: true,
    // Bounds concurrent Lambdas, hence database connections and SES send rate.
    maxConcurrency: 5,
  });
  // Written out instead of queue.grantConsumeMessages: only what the event source mapping uses.
  consumer.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      resources: [queueArn],
    }),
  );
  consumer.addToRolePolicy(o.mail.sendMail);
  o.dbSecret.grantRead(consumer);

  const weekly = o.weekly ?? {
    minute: "0",
    hour: "9",
    weekDay: "MON",
    timeZone: TimeZone.ASIA_KOLKATA,
  };
  const weeklyFn = fn("WeeklySummary", "src/lambda/weekly.ts", Duration.minutes(10), {
    WEEKLY_SUMMARY_TZ: weekly.timeZone.timezoneName,
  });
  weeklyFn.addToRolePolicy(o.mail.sendMail);
  o.dbSecret.grantRead(weeklyFn);
  new scheduler.Schedule(scope, "WeeklySchedule", {
    description: "Evenly weekly balance summaries",
    schedule: scheduler.ScheduleExpression.cron(weekly),
    target: new InvokeFunction(weeklyFn, {
      // The scheduled time, so a retried run computes the same ISO week.
      input: scheduler.ScheduleTargetInput.fromObject({
        time: scheduler.ContextAttribute.scheduledTime,
      }),
      retryAttempts: 2,
    }),
  });
}
