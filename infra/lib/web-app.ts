import { rmSync } from "node:fs";
import {
  CfnOutput,
  aws_elasticbeanstalk as eb,
  aws_iam as iam,
  Stack,
  aws_s3_assets as s3assets,
  type aws_secretsmanager as sm,
  Validations,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Network } from "./network.js";
import type { NotificationQueue } from "./notification-queue.js";
import type { Profile } from "./profile.js";
import { stageWebApp } from "./web-app-bundle.js";

export interface WebAppProps {
  repoRoot: string;
  network: Network;
  queue: NotificationQueue;
  dbSecret: sm.ISecret;
  mailFrom: string;
  publicUrl: string;
  solutionStack: string;
  profile: Profile;
}

/** Acknowledges the AWS managed policy `name` on `role`, for `reason` (cdk-nag IAM4). */
function acknowledgeManagedPolicy(role: iam.Role, name: string, reason: string): void {
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
    reason: `AWS maintains this policy for exactly this purpose: ${reason}`,
  });
}

/** Enhanced health publishes these environment metrics to CloudWatch every minute (alarms). */
export const HEALTH_METRICS = { ApplicationRequests5xx: 60, ApplicationRequestsTotal: 60 };

/**
 * The web app on Elastic Beanstalk, which has only L1 constructs: application, version from the
 * S3 asset, environment; an instance role that may publish to the queue and read the database
 * credentials. Outputs the app's URL.
 */
export function createWebApp(scope: Construct, o: WebAppProps): eb.CfnEnvironment {
  const instanceRole = new iam.Role(scope, "WebInstanceRole", {
    assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
    // Log streaming and health reporting of the platform itself.
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("AWSElasticBeanstalkWebTier")],
  });
  // The app's own rights: publish to its queue and read the database credentials.
  instanceRole.addToPolicy(
    new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [o.queue.queue.queueArn] }),
  );
  o.dbSecret.grantRead(instanceRole);
  acknowledgeManagedPolicy(
    instanceRole,
    "AWSElasticBeanstalkWebTier",
    "an Elastic Beanstalk web-tier instance streaming its logs, uploading rotated logs to the Beanstalk bucket and reporting health",
  );
  const instanceProfile = new iam.CfnInstanceProfile(scope, "WebInstanceProfile", {
    roles: [instanceRole.roleName],
  });
  const serviceRole = new iam.Role(scope, "BeanstalkServiceRole", {
    assumedBy: new iam.ServicePrincipal("elasticbeanstalk.amazonaws.com"),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSElasticBeanstalkEnhancedHealth"),
      iam.ManagedPolicy.fromAwsManagedPolicyName(
        "AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
      ),
    ],
  });
  acknowledgeManagedPolicy(
    serviceRole,
    "service-role/AWSElasticBeanstalkEnhancedHealth",
    "the Elastic Beanstalk service role reading the environment's resources for enhanced health",
  );
  acknowledgeManagedPolicy(
    serviceRole,
    "AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
    "the Elastic Beanstalk service role applying managed platform updates",
  );

  const staged = stageWebApp(o.repoRoot);
  const bundle = new s3assets.Asset(scope, "WebAppBundle", { path: staged });
  // The asset was copied into the cloud assembly; drop the temporary copy unless CDK was told
  // not to stage (then the asset points at it).
  if (!scope.node.tryGetContext("aws:cdk:disable-asset-staging")) {
    rmSync(staged, { recursive: true, force: true });
  }
  const app = new eb.CfnApplication(scope, "WebApplication", {
    description: "Evenly shared expenses",
  });
  const applicationName = app.ref;
  const version = new eb.CfnApplicationVersion(scope, "WebAppVersion", {
    applicationName,
    sourceBundle: { s3Bucket: bundle.s3BucketName, s3Key: bundle.s3ObjectKey },
  });

  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: "8080",
    QUEUE: "sqs",
    SQS_QUEUE_URL: o.queue.queue.queueUrl,
    AWS_REGION: Stack.of(scope).region,
    DATABASE_SECRET_ARN: o.dbSecret.secretArn,
    // The web app sends no mail itself (the Lambdas do); named for clarity, never .eml files.
    MAIL_TRANSPORT: "ses",
    // Two proxies append to X-Forwarded-For: the ALB, then nginx on the instance (the socket
    // peer). The client is the address the ALB appended; instances sit in private subnets,
    // reachable only through the ALB, so counting hops is safe here.
    TRUST_PROXY: "2",
    MAIL_FROM: o.mailFrom,
    PUBLIC_URL: o.publicUrl,
  };
  const { vpc, webSg } = o.network;
  const privateSubnets = vpc.privateSubnets.map((s) => s.subnetId).join(",");
  const publicSubnets = vpc.publicSubnets.map((s) => s.subnetId).join(",");
  const settings: [string, string, string][] = [
    ["aws:autoscaling:launchconfiguration", "IamInstanceProfile", instanceProfile.ref],
    ["aws:autoscaling:launchconfiguration", "SecurityGroups", webSg.securityGroupId],
    ["aws:ec2:instances", "InstanceTypes", "t4g.small"],
    ["aws:ec2:instances", "SupportedArchitectures", "arm64"],
    // prod: at least one instance per zone, so the app keeps serving when a zone fails.
    ["aws:autoscaling:asg", "MinSize", String(o.profile.minInstances)],
    ["aws:autoscaling:asg", "MaxSize", String(o.profile.maxInstances)],
    ["aws:ec2:vpc", "VPCId", vpc.vpcId],
    ["aws:ec2:vpc", "Subnets", privateSubnets],
    ["aws:ec2:vpc", "ELBSubnets", publicSubnets],
    ["aws:ec2:vpc", "AssociatePublicIpAddress", "false"],
    ["aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced"],
    ["aws:elasticbeanstalk:environment", "LoadBalancerType", "application"],
    ["aws:elasticbeanstalk:environment", "ServiceRole", serviceRole.roleArn],
    ["aws:elasticbeanstalk:environment:process:default", "HealthCheckPath", "/readyz"],
    ["aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"],
    [
      "aws:elasticbeanstalk:healthreporting:system",
      "ConfigDocument",
      JSON.stringify({ Version: 1, CloudWatchMetrics: { Environment: HEALTH_METRICS } }),
    ],
    // Instance logs: streamed to CloudWatch Logs and kept for the profile's retention (also after
    // an instance is replaced), rotated logs uploaded to S3 as well.
    ["aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "true"],
    ["aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays", String(o.profile.logRetention)],
    ["aws:elasticbeanstalk:cloudwatch:logs", "DeleteOnTerminate", "false"],
    ["aws:elasticbeanstalk:hostmanager", "LogPublicationControl", "true"],
    // Managed platform updates (patch and minor versions) in a weekly window, one instance at a
    // time behind the load balancer (rolling).
    ["aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled", "true"],
    ["aws:elasticbeanstalk:managedactions", "PreferredStartTime", "Sun:02:00"],
    ["aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel", "minor"],
    ...Object.entries(env).map(([k, v]): [string, string, string] => [
      "aws:elasticbeanstalk:application:environment",
      k,
      v,
    ]),
  ];
  const environment = new eb.CfnEnvironment(scope, "WebEnvironment", {
    applicationName,
    solutionStackName: o.solutionStack,
    versionLabel: version.ref,
    optionSettings: settings.map(([namespace, optionName, value]) => ({
      namespace,
      optionName,
      value,
    })),
  });
  new CfnOutput(scope, "WebUrl", { value: `http://${environment.attrEndpointUrl}` });
  return environment;
}
