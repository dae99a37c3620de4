import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Token } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { EvenlyStack } from "../lib/evenly-stack.js";
import { LAMBDA_RUNTIME } from "../lib/lambdas.js";
import { CONSUMER_TIMEOUT, MAX_RECEIVE_COUNT } from "../lib/notification-queue.js";
import { profileFromContext } from "../lib/profile.js";
import { stageWebApp } from "../lib/web-app-bundle.js";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Json = any;
let stack: EvenlyStack;
let template: Template;
let json: Json;

beforeAll(() => {
  // Synthesized once for the whole file (bundling the Lambdas takes a few seconds).
  const app = new App();
  stack = new EvenlyStack(app, "Evenly", {
    mailFrom: "Evenly <notifications@evenly.test>",
    senderDomain: "evenly.test",
    publicUrl: "https://evenly.test",
    solutionStack: "64bit Amazon Linux 2023 v6.10.0 running Node.js 22",
    profile: profileFromContext(app.node),
  });
  template = Template.fromStack(stack);
  json = template.toJSON();
}, 120_000);

const resources = (type: string): [string, Json][] =>
  Object.entries(template.findResources(type)) as [string, Json][];
const only = (type: string, props?: Json): [string, Json] => {
  const found = Object.entries(template.findResources(type, props ?? {})) as [string, Json][];
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Json];
};
const appFunction = (entryHint: string): [string, Json] => {
  const found = resources("AWS::Lambda::Function").filter(([id]) => id.startsWith(entryHint));
  expect(found, entryHint).toHaveLength(1);
  return found[0] as [string, Json];
};
/** Every statement of the inline policies attached to a role (by logical id). */
const statementsOf = (roleId: string): Json[] =>
  resources("AWS::IAM::Policy")
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
const actionsOf = (statements: Json[]) =>
  statements.flatMap((s) => [s.Action].flat()).sort() as string[];
const roleOf = (fn: Json): string => fn.Properties.Role["Fn::GetAtt"][0];

describe("environment-agnostic", () => {
  it("names no account or region, so synth needs no credentials or lookups", () => {
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(Token.isUnresolved(stack.region)).toBe(true);
    // The only account numbers are those of AWS's own password-rotation application (SAR).
    const { Mappings, ...rest } = json;
    expect(JSON.stringify(rest)).not.toMatch(/\b\d{12}\b/);
    expect(
      JSON.stringify(Mappings ?? {}).replace(/arn:[\w-]+:serverlessrepo:[^"]+/g, ""),
    ).not.toMatch(/\b\d{12}\b/);
  });
});

describe("network and database", () => {
  it("has a VPC and RDS PostgreSQL with generated credentials in Secrets Manager", () => {
    template.resourceCountIs("AWS::EC2::VPC", 1);
    const [, dbi] = only("AWS::RDS::DBInstance");
    expect(dbi.Properties).toMatchObject({
      Engine: "postgres",
      StorageEncrypted: true,
      DBName: "evenly",
    });
    expect(dbi.Properties.EngineVersion).toMatch(/^1[7-9]/);
    const [secretId, secret] = only("AWS::SecretsManager::Secret");
    expect(secret.Properties.GenerateSecretString.SecretStringTemplate).toContain("evenly");
    expect(JSON.stringify(dbi.Properties.MasterUserPassword)).toContain(`"Ref":"${secretId}"`);
    template.resourceCountIs("AWS::SecretsManager::SecretTargetAttachment", 1);
  });
});

describe("queue", () => {
  it("redrives to a dead-letter queue and hides messages longer than the consumer runs", () => {
    const queues = resources("AWS::SQS::Queue");
    expect(queues).toHaveLength(2);
    const [, main] = queues.find(([, q]) => q.Properties.RedrivePolicy) as [string, Json];
    const [dlqId] = queues.find(([, q]) => !q.Properties.RedrivePolicy) as [string, Json];
    expect(main.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] },
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    const [, consumer] = appFunction("NotificationConsumer");
    expect(consumer.Properties.Timeout).toBe(CONSUMER_TIMEOUT.toSeconds());
    expect(main.Properties.VisibilityTimeout).toBeGreaterThan(consumer.Properties.Timeout);
  });
});

describe("Lambdas", () => {
  it("run on the newest Node.js runtime, bundled as ESM from the shared handlers", () => {
    expect(LAMBDA_RUNTIME.name).toBe("nodejs24.x");
    for (const [id, fn] of resources("AWS::Lambda::Function")) {
      expect(fn.Properties.Runtime, id).toBe(LAMBDA_RUNTIME.name);
    }
    for (const name of ["NotificationConsumer", "WeeklySummary"]) {
      const [, fn] = appFunction(name);
      expect(fn.Properties.Handler).toBe("index.handler");
      expect(fn.Properties.VpcConfig).toBeDefined();
      expect(fn.Properties.Environment.Variables).toMatchObject({
        MAIL_TRANSPORT: "ses",
        MAIL_FROM: "Evenly <notifications@evenly.test>",
        DATABASE_SECRET_ARN: { Ref: expect.stringMatching(/^DatabaseSecret/) },
        SES_CONFIGURATION_SET: { Ref: expect.stringMatching(/^MailConfig/) },
      });
    }
  });

  it("consumes the queue in batches with partial batch responses", () => {
    const [consumerId] = appFunction("NotificationConsumer");
    const [queueId] = resources("AWS::SQS::Queue").find(([, q]) => q.Properties.RedrivePolicy) as [
      string,
      Json,
    ];
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: consumerId },
      EventSourceArn: { "Fn::GetAtt": [queueId, "Arn"] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
  });

  it("runs the weekly summary from an EventBridge Scheduler cron in the app's time zone", () => {
    const [weeklyId] = appFunction("WeeklySummary");
    const [, schedule] = only("AWS::Scheduler::Schedule");
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: "cron(0 9 ? * MON *)",
      ScheduleExpressionTimezone: "Asia/Kolkata",
      State: "ENABLED",
      Target: {
        Arn: { "Fn::GetAtt": [weeklyId, "Arn"] },
        Input: JSON.stringify({ time: "<aws.scheduler.scheduled-time>" }),
        RetryPolicy: { MaximumRetryAttempts: 2 },
      },
    });
    const schedulerRole = schedule.Properties.Target.RoleArn["Fn::GetAtt"][0];
    expect(actionsOf(statementsOf(schedulerRole))).toEqual(["lambda:InvokeFunction"]);
  });
});

describe("mail", () => {
  it("has an SES domain identity using a configuration set", () => {
    const [setId] = only("AWS::SES::ConfigurationSet");
    template.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "evenly.test",
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: setId } },
    });
  });
});

describe("Elastic Beanstalk", () => {
  const option = (settings: Json[], namespace: string, name: string) =>
    settings.find((s) => s.Namespace === namespace && s.OptionName === name)?.Value;

  it("deploys an application version from the S3 asset on a current Node.js platform", () => {
    const [appId] = only("AWS::ElasticBeanstalk::Application");
    const [versionId, version] = only("AWS::ElasticBeanstalk::ApplicationVersion");
    expect(version.Properties.ApplicationName).toEqual({ Ref: appId });
    expect(version.Properties.SourceBundle.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(JSON.stringify(version.Properties.SourceBundle.S3Bucket)).toContain("cdk-");
    const [, env] = only("AWS::ElasticBeanstalk::Environment");
    expect(env.Properties.VersionLabel).toEqual({ Ref: versionId });
    expect(env.Properties.SolutionStackName).toMatch(
      /^64bit Amazon Linux 2023 v[\d.]+ running Node\.js (2[2-9]|[3-9]\d)$/,
    );
  });

  it("wires the queue, the database secret and the region into the app's environment", () => {
    const [, env] = only("AWS::ElasticBeanstalk::Environment");
    const settings = env.Properties.OptionSettings;
    const [queueId] = resources("AWS::SQS::Queue").find(([, q]) => q.Properties.RedrivePolicy) as [
      string,
      Json,
    ];
    const envVar = (name: string) =>
      option(settings, "aws:elasticbeanstalk:application:environment", name);
    expect(envVar("QUEUE")).toBe("sqs");
    expect(envVar("SQS_QUEUE_URL")).toEqual({ Ref: queueId });
    expect(envVar("AWS_REGION")).toEqual({ Ref: "AWS::Region" });
    expect(envVar("DATABASE_SECRET_ARN")).toEqual({
      Ref: expect.stringMatching(/^DatabaseSecret/),
    });
    expect(envVar("DATABASE_URL")).toBeUndefined(); // no password in the environment
    // Client IPs for rate limits: ALB + nginx are the two trusted hops; no dev mail preview.
    expect(envVar("TRUST_PROXY")).toBe("2");
    expect(envVar("NODE_ENV")).toBe("production");
    expect(envVar("MAIL_PREVIEW")).toBeUndefined();
    const [profileId] = only("AWS::IAM::InstanceProfile");
    expect(option(settings, "aws:autoscaling:launchconfiguration", "IamInstanceProfile")).toEqual({
      Ref: profileId,
    });
    expect(
      option(settings, "aws:elasticbeanstalk:environment:process:default", "HealthCheckPath"),
    ).toBe("/readyz");
  });

  it("bundles the app with a Procfile and a leader-only migration on deploy, without tests", () => {
    const dir = stageWebApp(fileURLToPath(new URL("../..", import.meta.url)));
    try {
      expect(readFileSync(path.join(dir, "Procfile"), "utf8")).toMatch(/^web: npm start$/m);
      const migrate = readFileSync(path.join(dir, ".ebextensions/01-migrate.config"), "utf8");
      expect(migrate).toMatch(/command: "npm run migrate"/);
      expect(migrate).toMatch(/leader_only: true/);
      for (const f of ["package.json", "package-lock.json", "src/main.ts", "drizzle"]) {
        expect(existsSync(path.join(dir, f)), f).toBe(true);
      }
      expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
      const files = readdirSync(dir, { recursive: true }) as string[];
      expect(files.filter((f) => f.endsWith(".test.ts"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("IAM", () => {
  const allStatements = () =>
    resources("AWS::IAM::Policy").flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

  it("grants no wildcard actions and no data-plane action on every resource", () => {
    for (const s of allStatements()) {
      for (const action of [s.Action].flat()) expect(action).not.toContain("*");
      const dataPlane = [s.Action].flat().some((a: string) => /^(sqs|ses|secretsmanager):/.test(a));
      if (dataPlane) expect([s.Resource].flat()).not.toContain("*");
    }
  });

  it("lets the consumer only receive/delete from its queue, send mail and read the DB secret", () => {
    const [, consumer] = appFunction("NotificationConsumer");
    const statements = statementsOf(roleOf(consumer));
    expect(actionsOf(statements)).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "ses:SendEmail",
      "ses:SendRawEmail",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
    const [queueId] = resources("AWS::SQS::Queue").find(([, q]) => q.Properties.RedrivePolicy) as [
      string,
      Json,
    ];
    const sqsStatement = statements.find((s) => [s.Action].flat()[0].startsWith("sqs:"));
    expect(sqsStatement.Resource).toEqual({ "Fn::GetAtt": [queueId, "Arn"] });
    const sesStatement = statements.find((s) => [s.Action].flat()[0].startsWith("ses:"));
    const [identityId] = only("AWS::SES::EmailIdentity");
    const [setId] = only("AWS::SES::ConfigurationSet");
    const sesResources = JSON.stringify(sesStatement.Resource);
    expect(sesResources).toContain(`:identity/",{"Ref":"${identityId}"}`);
    expect(sesResources).toContain(`:configuration-set/",{"Ref":"${setId}"}`);
  });

  it("lets the weekly Lambda send mail and read the DB secret, nothing on the queue", () => {
    const [, weekly] = appFunction("WeeklySummary");
    const actions = actionsOf(statementsOf(roleOf(weekly)));
    expect(actions).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "ses:SendEmail",
      "ses:SendRawEmail",
    ]);
  });

  it("lets the web app only send to the queue (and read the DB secret)", () => {
    const [, role] = only("AWS::IAM::Role", {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: "ec2.amazonaws.com" } })],
        },
      },
    });
    const [roleId] = resources("AWS::IAM::Role").find(([, r]) => r === role) as [string, Json];
    const statements = statementsOf(roleId);
    expect(actionsOf(statements)).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "sqs:SendMessage",
    ]);
    const [queueId] = resources("AWS::SQS::Queue").find(([, q]) => q.Properties.RedrivePolicy) as [
      string,
      Json,
    ];
    const send = statements.find((s) => s.Action === "sqs:SendMessage");
    expect(send.Resource).toEqual({ "Fn::GetAtt": [queueId, "Arn"] });
  });
});
