import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CfnOutput,
  Duration,
  aws_elasticbeanstalk as eb,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_rds as rds,
  Stack,
  type StackProps,
  aws_s3_assets as s3assets,
  aws_scheduler as scheduler,
  aws_ses as ses,
  aws_sqs as sqs,
  TimeZone,
  aws_scheduler_targets as targets,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import { stageWebApp } from "./web-app-bundle.js";

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
  /** Weekly summary: cron fields and time zone (EventBridge Scheduler evaluates it there). */
  weekly?: { minute: string; hour: string; weekDay: string; timeZone: TimeZone };
}

/** The consumer Lambda's timeout; SQS hides a received message for six times as long. */
export const CONSUMER_TIMEOUT = Duration.seconds(30);
/** Receives before a message is moved to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * Evenly on AWS: the web app on Elastic Beanstalk publishes outbox records to SQS; a Lambda
 * consumes them and sends through SES; EventBridge Scheduler runs the weekly-summary Lambda;
 * PostgreSQL on RDS with its credentials in Secrets Manager. Environment-agnostic on purpose.
 */
export class EvenlyStack extends Stack {
  constructor(scope: Construct, id: string, props: EvenlyStackProps) {
    super(scope, id, props);

    // Network: load balancer in public subnets; app instances and Lambdas in private ones (NAT
    // for SQS, SES and Secrets Manager); the database in isolated subnets.
    const vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC },
        { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: "db", subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const appSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const webSg = new ec2.SecurityGroup(this, "WebSg", { vpc, description: "Evenly web app" });
    const lambdaSg = new ec2.SecurityGroup(this, "LambdaSg", {
      vpc,
      description: "Evenly Lambdas",
    });

    const db = new rds.DatabaseInstance(this, "Database", {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      credentials: rds.Credentials.fromGeneratedSecret("evenly"),
      databaseName: "evenly",
      allocatedStorage: 20,
      storageEncrypted: true,
      backupRetention: Duration.days(7),
      deletionProtection: true,
    });
    const dbSecret = db.secret as NonNullable<typeof db.secret>;
    db.connections.allowDefaultPortFrom(webSg, "web app");
    db.connections.allowDefaultPortFrom(lambdaSg, "notification Lambdas");

    const deadLetters = new sqs.Queue(this, "NotificationDlq", {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const queue = new sqs.Queue(this, "NotificationQueue", {
      // Longer than the consumer's timeout, or a message still being handled is handed out again.
      visibilityTimeout: Duration.seconds(CONSUMER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const configurationSet = new ses.ConfigurationSet(this, "MailConfig", {
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const identity = new ses.EmailIdentity(this, "MailIdentity", {
      identity: ses.Identity.domain(props.senderDomain),
      configurationSet,
    });
    const configurationSetArn = this.formatArn({
      service: "ses",
      resource: "configuration-set",
      resourceName: configurationSet.configurationSetName,
    });
    const sendMail = new iam.PolicyStatement({
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resources: [identity.emailIdentityArn, configurationSetArn],
    });

    const lambdaEnv = {
      DATABASE_SECRET_ARN: dbSecret.secretArn,
      MAIL_TRANSPORT: "ses",
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      MAIL_FROM: props.mailFrom,
      PUBLIC_URL: props.publicUrl,
      NODE_OPTIONS: "--enable-source-maps",
    };
    const fn = (name: string, entry: string, timeout: Duration, env: Record<string, string>) =>
      new nodejs.NodejsFunction(this, name, {
        entry: path.join(repoRoot, entry),
        handler: "handler",
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout,
        vpc,
        vpcSubnets: appSubnets,
        securityGroups: [lambdaSg],
        environment: { ...lambdaEnv, ...env },
        projectRoot: repoRoot,
        depsLockFilePath: path.join(repoRoot, "package-lock.json"),
        bundling: {
          // The local esbuild from node_modules: no Docker, works offline.
          forceDockerBundling: false,
          format: nodejs.OutputFormat.ESM,
          target: "node22",
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

    const consumer = fn(
      "NotificationConsumer",
      "src/aws/lambda/notification.ts",
      CONSUMER_TIMEOUT,
      {},
    );
    consumer.addEventSourceMapping("FromQueue", {
      eventSourceArn: queue.queueArn,
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
        resources: [queue.queueArn],
      }),
    );
    consumer.addToRolePolicy(sendMail);
    dbSecret.grantRead(consumer);

    const weekly = props.weekly ?? {
      minute: "0",
      hour: "9",
      weekDay: "MON",
      timeZone: TimeZone.ASIA_KOLKATA,
    };
    const weeklyFn = fn("WeeklySummary", "src/aws/lambda/weekly.ts", Duration.minutes(10), {
      WEEKLY_SUMMARY_TZ: weekly.timeZone.timezoneName,
    });
    weeklyFn.addToRolePolicy(sendMail);
    dbSecret.grantRead(weeklyFn);
    new scheduler.Schedule(this, "WeeklySchedule", {
      description: "Evenly weekly balance summaries",
      schedule: scheduler.ScheduleExpression.cron(weekly),
      target: new targets.LambdaInvoke(weeklyFn, {
        // The scheduled time, so a retried run computes the same ISO week.
        input: scheduler.ScheduleTargetInput.fromObject({
          time: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 2,
      }),
    });

    this.webApp({ vpc, webSg, queue, dbSecret, props });

    // Without a Route 53 zone here, these CNAMEs must be published by hand to verify the domain.
    identity.dkimRecords.forEach((r, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${r.name} CNAME ${r.value}` });
    });
    new CfnOutput(this, "QueueUrl", { value: queue.queueUrl });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: deadLetters.queueUrl });
    new CfnOutput(this, "DatabaseSecretArn", { value: dbSecret.secretArn });
  }

  /** Elastic Beanstalk has only L1 constructs: application, version from the S3 asset, environment. */
  private webApp(o: {
    vpc: ec2.Vpc;
    webSg: ec2.SecurityGroup;
    queue: sqs.Queue;
    dbSecret: NonNullable<rds.DatabaseInstance["secret"]>;
    props: EvenlyStackProps;
  }): void {
    const instanceRole = new iam.Role(this, "WebInstanceRole", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      // Log streaming and health reporting of the platform itself.
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("AWSElasticBeanstalkWebTier")],
    });
    // The app's own rights: publish to its queue and read the database credentials.
    instanceRole.addToPolicy(
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [o.queue.queueArn] }),
    );
    o.dbSecret.grantRead(instanceRole);
    const instanceProfile = new iam.CfnInstanceProfile(this, "WebInstanceProfile", {
      roles: [instanceRole.roleName],
    });
    const serviceRole = new iam.Role(this, "BeanstalkServiceRole", {
      assumedBy: new iam.ServicePrincipal("elasticbeanstalk.amazonaws.com"),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          "service-role/AWSElasticBeanstalkEnhancedHealth",
        ),
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          "AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
        ),
      ],
    });

    const staged = stageWebApp(repoRoot);
    const bundle = new s3assets.Asset(this, "WebAppBundle", { path: staged });
    // The asset was copied into the cloud assembly; drop the temporary copy unless CDK was told
    // not to stage (then the asset points at it).
    if (!this.node.tryGetContext("aws:cdk:disable-asset-staging")) {
      rmSync(staged, { recursive: true, force: true });
    }
    const app = new eb.CfnApplication(this, "WebApplication", {
      description: "Evenly shared expenses",
    });
    const applicationName = app.ref;
    const version = new eb.CfnApplicationVersion(this, "WebAppVersion", {
      applicationName,
      sourceBundle: { s3Bucket: bundle.s3BucketName, s3Key: bundle.s3ObjectKey },
    });

    const env: Record<string, string> = {
      NODE_ENV: "production",
      PORT: "8080",
      QUEUE: "sqs",
      SQS_QUEUE_URL: o.queue.queueUrl,
      AWS_REGION: this.region,
      DATABASE_SECRET_ARN: o.dbSecret.secretArn,
      // The web app sends no mail itself (the Lambdas do); named for clarity, never .eml files.
      MAIL_TRANSPORT: "ses",
      // Two proxies append to X-Forwarded-For: the ALB, then nginx on the instance (the socket
      // peer). The client is the address the ALB appended; instances sit in private subnets,
      // reachable only through the ALB, so counting hops is safe here.
      TRUST_PROXY: "2",
      MAIL_FROM: o.props.mailFrom,
      PUBLIC_URL: o.props.publicUrl,
    };
    const privateSubnets = o.vpc.privateSubnets.map((s) => s.subnetId).join(",");
    const publicSubnets = o.vpc.publicSubnets.map((s) => s.subnetId).join(",");
    const settings: [string, string, string][] = [
      ["aws:autoscaling:launchconfiguration", "IamInstanceProfile", instanceProfile.ref],
      ["aws:autoscaling:launchconfiguration", "SecurityGroups", o.webSg.securityGroupId],
      ["aws:ec2:instances", "InstanceTypes", "t4g.small"],
      ["aws:ec2:instances", "SupportedArchitectures", "arm64"],
      ["aws:autoscaling:asg", "MinSize", "1"],
      ["aws:autoscaling:asg", "MaxSize", "2"],
      ["aws:ec2:vpc", "VPCId", o.vpc.vpcId],
      ["aws:ec2:vpc", "Subnets", privateSubnets],
      ["aws:ec2:vpc", "ELBSubnets", publicSubnets],
      ["aws:ec2:vpc", "AssociatePublicIpAddress", "false"],
      ["aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced"],
      ["aws:elasticbeanstalk:environment", "LoadBalancerType", "application"],
      ["aws:elasticbeanstalk:environment", "ServiceRole", serviceRole.roleArn],
      ["aws:elasticbeanstalk:environment:process:default", "HealthCheckPath", "/readyz"],
      ["aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"],
      ["aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "true"],
      ...Object.entries(env).map(([k, v]): [string, string, string] => [
        "aws:elasticbeanstalk:application:environment",
        k,
        v,
      ]),
    ];
    const environment = new eb.CfnEnvironment(this, "WebEnvironment", {
      applicationName,
      solutionStackName: o.props.solutionStack,
      versionLabel: version.ref,
      optionSettings: settings.map(([namespace, optionName, value]) => ({
        namespace,
        optionName,
        value,
      })),
    });
    new CfnOutput(this, "WebUrl", { value: `http://${environment.attrEndpointUrl}` });
  }
}
