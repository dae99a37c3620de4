import { type App, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../lib/app.js";
import { LAMBDA_RUNTIME } from "../lib/lambdas.js";

// The stack with the daily exchange-rates download switched on (`-c fxRatesUrl=…`), as `cdk
// synth` builds it: cdk-nag attached, the Lambdas bundled by the local esbuild (offline).
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Json = any;
const ECB = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";
let app: App;
let template: Template;

beforeAll(() => {
  const built = createApp({ context: { fxRatesUrl: ECB } });
  app = built.app;
  template = Template.fromStack(built.stack);
}, 120_000);

const resources = (type: string): [string, Json][] =>
  Object.entries(template.findResources(type)) as [string, Json][];
const ratesFunction = (): [string, Json] => {
  const found = resources("AWS::Lambda::Function").filter(([id]) => id.startsWith("FxRates"));
  expect(found).toHaveLength(1);
  return found[0] as [string, Json];
};
const statementsOf = (roleId: string): Json[] =>
  resources("AWS::IAM::Policy")
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
const actionsOf = (statements: Json[]) =>
  statements.flatMap((s) => [s.Action].flat()).sort() as string[];

describe("exchange-rates Lambda (-c fxRatesUrl)", () => {
  it("bundles src/lambda/fx-rates.ts in the app subnets with FX_RATES_URL and the DB secret only", () => {
    const [, fn] = ratesFunction();
    expect(fn.Properties).toMatchObject({
      Handler: "index.handler",
      Runtime: LAMBDA_RUNTIME.name,
      Architectures: ["arm64"],
      Timeout: 120,
    });
    expect(fn.Properties.VpcConfig).toBeDefined();
    expect(fn.Properties.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    const env = fn.Properties.Environment.Variables;
    expect(env).toMatchObject({
      FX_RATES_URL: ECB,
      FX_RATES_TIMEOUT_MS: "30000",
      DATABASE_SECRET_ARN: { Ref: expect.stringMatching(/^DatabaseSecret/) },
    });
    expect(env.MAIL_TRANSPORT).toBeUndefined();
    expect(actionsOf(statementsOf(fn.Properties.Role["Fn::GetAtt"][0]))).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
    ]);
  });

  it("runs daily at 16:00 UTC from EventBridge Scheduler, which may invoke exactly that function", () => {
    const [fnId] = ratesFunction();
    const schedules = resources("AWS::Scheduler::Schedule");
    expect(schedules).toHaveLength(2); // the weekly summary's and this one
    const [, schedule] = schedules.find(
      ([, s]) => s.Properties.Target.Arn["Fn::GetAtt"]?.[0] === fnId,
    ) as [string, Json];
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: "cron(0 16 * * ? *)",
      ScheduleExpressionTimezone: "Etc/UTC",
      State: "ENABLED",
      Target: { RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
    const roleId = schedule.Properties.Target.RoleArn["Fn::GetAtt"][0];
    const statements = statementsOf(roleId);
    expect(actionsOf(statements)).toEqual(["lambda:InvokeFunction"]);
    expect(statements[0].Resource).toEqual({ "Fn::GetAtt": [fnId, "Arn"] });
  });

  it("passes the cdk-nag checks with no new acknowledgement", () => {
    expect(
      new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName),
    ).toEqual([]);
    const rules = app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as Record<string, string>))
      .filter((id) => id.includes("AwsSolutions-"))
      .map((id) => id.replace(/^.*?AwsSolutions-/, "").replace(/\[.*/, ""));
    expect([...new Set(rules)].sort()).toEqual(["IAM4", "SNS2"]);
  });

  it("refuses a URL that is not http(s) at synth", () => {
    expect(() =>
      createApp({
        context: { fxRatesUrl: "ftp://ecb.example/rates.xml", "aws:cdk:bundling-stacks": [] },
      }),
    ).toThrow("-c fxRatesUrl=ftp://ecb.example/rates.xml: must be an http:// or https:// URL");
  });
});
