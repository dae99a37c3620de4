import { type App, aws_sqs as sqs, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../lib/app.js";
import { DATABASE_PORT } from "../lib/database.js";

// The app exactly as `cdk synth` builds it (cdk-nag attached), per profile. Only prod bundles
// the Lambdas; the other variants skip bundling (`aws:cdk:bundling-stacks`) to stay quick.
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Json = any;
const noBundling = { "aws:cdk:bundling-stacks": [] };
const build = (context: Record<string, unknown>) => createApp({ context });
let prod: { app: App; template: Template };
let dev: { app: App; template: Template };

beforeAll(() => {
  const p = build({});
  prod = { app: p.app, template: Template.fromStack(p.stack) };
  const d = build({ profile: "dev", ...noBundling });
  dev = { app: d.app, template: Template.fromStack(d.stack) };
}, 120_000);

const findings = (app: App) =>
  new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
/** Every acknowledged cdk-nag rule in the app: construct path, rule id and reason. */
const acknowledged = (app: App) =>
  app.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([id]) => id.includes("AwsSolutions-"))
      .map(([id, reason]) => ({
        path: c.node.path,
        id: id.replace(/^.*?AwsSolutions-/, ""),
        reason,
      })),
  );
const ruleIds = (app: App) =>
  [...new Set(acknowledged(app).map((a) => a.id.replace(/\[.*/, "")))].sort();
const option = (t: Template, namespace: string, name: string) =>
  (
    Object.values(t.findResources("AWS::ElasticBeanstalk::Environment"))[0] as Json
  ).Properties.OptionSettings.find((s: Json) => s.Namespace === namespace && s.OptionName === name)
    ?.Value;

describe("cdk-nag AWS Solutions checks", () => {
  it("finds nothing unacknowledged in either profile, and synth runs the checks", () => {
    expect(findings(prod.app)).toEqual([]);
    expect(findings(dev.app)).toEqual([]);
    expect(() => dev.app.synth()).not.toThrow();
  });

  it("acknowledges only AWS managed policies and the SNS key in prod, with reasons", () => {
    expect(ruleIds(prod.app)).toEqual(["IAM4", "SNS2"]);
    for (const a of acknowledged(prod.app)) expect(a.reason.length, a.id).toBeGreaterThan(40);
    // dev additionally gives up the standby and the rotation, and says so.
    expect(ruleIds(dev.app)).toEqual(["IAM4", "RDS3", "SMG4", "SNS2"]);
  });

  it("fails the synth on a new finding", () => {
    const { app, stack } = build({ profile: "dev", ...noBundling });
    new sqs.Queue(stack, "Unchecked");
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});

describe("prod profile (the default)", () => {
  it("has a multi-AZ database on a non-default port whose password rotates", () => {
    prod.template.hasResourceProperties("AWS::RDS::DBInstance", {
      MultiAZ: true,
      Port: String(DATABASE_PORT),
    });
    prod.template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", {
      RotationRules: { ScheduleExpression: "rate(30 days)" },
    });
  });

  it("survives a zone loss: a NAT gateway and a web instance in each of two zones", () => {
    prod.template.resourceCountIs("AWS::EC2::NatGateway", 2);
    expect(option(prod.template, "aws:autoscaling:asg", "MinSize")).toBe("2");
  });

  it("keeps flow logs, instance and Lambda logs for 90 days; logs go to S3 too", () => {
    prod.template.hasResourceProperties("AWS::EC2::FlowLog", { TrafficType: "ALL" });
    const groups = Object.values(prod.template.findResources("AWS::Logs::LogGroup")) as Json[];
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual([90, 90, 90]);
    for (const fn of Object.values(
      prod.template.findResources("AWS::Lambda::Function"),
    ) as Json[]) {
      expect(fn.Properties.LoggingConfig.LogGroup.Ref).toMatch(/Logs/);
    }
    expect(option(prod.template, "aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays")).toBe(
      "90",
    );
    expect(option(prod.template, "aws:elasticbeanstalk:hostmanager", "LogPublicationControl")).toBe(
      "true",
    );
  });

  it("applies managed platform updates in a weekly window", () => {
    expect(
      option(prod.template, "aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled"),
    ).toBe("true");
    expect(
      option(prod.template, "aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel"),
    ).toBe("minor");
  });

  it("has no wildcard resource in any policy", () => {
    const policies = Object.values(prod.template.findResources("AWS::IAM::Policy")) as Json[];
    expect(policies.length).toBeGreaterThan(3);
    for (const p of policies) {
      for (const s of p.Properties.PolicyDocument.Statement) {
        expect(JSON.stringify(s.Resource), JSON.stringify(s)).not.toContain("*");
      }
    }
  });

  it("alarms on dead letters, 5xx and health to the SNS topic", () => {
    const alarms = Object.values(prod.template.findResources("AWS::CloudWatch::Alarm")) as Json[];
    const [topicId] = Object.keys(prod.template.findResources("AWS::SNS::Topic"));
    const text = JSON.stringify(alarms);
    expect(text).toContain('"Namespace":"AWS/SQS"');
    expect(text).toContain("ApplicationRequests5xx");
    expect(alarms).toHaveLength(3);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    // No address given: no subscription (and nothing to confirm).
    prod.template.resourceCountIs("AWS::SNS::Subscription", 0);
  });
});

describe("dev profile and context values", () => {
  it("is single-AZ, unrotated, one NAT gateway, one instance, a week of logs", () => {
    dev.template.hasResourceProperties("AWS::RDS::DBInstance", { MultiAZ: false });
    dev.template.resourceCountIs("AWS::SecretsManager::RotationSchedule", 0);
    dev.template.resourceCountIs("AWS::EC2::NatGateway", 1);
    expect(option(dev.template, "aws:autoscaling:asg", "MinSize")).toBe("1");
    const groups = Object.values(dev.template.findResources("AWS::Logs::LogGroup")) as Json[];
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual([7, 7, 7]);
  });

  it("takes logRetentionDays and alarmEmail from context, and rejects bad values", () => {
    const { stack } = build({
      logRetentionDays: "30",
      alarmEmail: "ops@evenly.test",
      ...noBundling,
    });
    const t = Template.fromStack(stack);
    const groups = Object.values(t.findResources("AWS::Logs::LogGroup")) as Json[];
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual([30, 30, 30]);
    expect(option(t, "aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays")).toBe("30");
    t.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@evenly.test",
    });
    expect(() => build({ logRetentionDays: "31", ...noBundling })).toThrow(/logRetentionDays=31/);
    expect(() => build({ profile: "staging", ...noBundling })).toThrow(/profile=staging/);
    expect(() => build({ alarmEmail: "ops", ...noBundling })).toThrow(/alarmEmail=ops/);
  });
});
