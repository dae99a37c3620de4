import { aws_ec2 as ec2, aws_logs as logs } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Profile } from "./profile.js";

export interface Network {
  vpc: ec2.Vpc;
  /** Where the app instances and the Lambdas run. */
  appSubnets: ec2.SubnetSelection;
  webSg: ec2.SecurityGroup;
  lambdaSg: ec2.SecurityGroup;
}

/**
 * Two availability zones (prod: a NAT gateway in each, so either zone can fail alone) with flow
 * logs. The load balancer in public subnets; app instances and Lambdas in private ones (NAT for SQS,
 * SES and Secrets Manager); the database in isolated subnets. Created directly in `scope` (the
 * stack), not in a construct of its own, so the logical IDs of a deployed stack stay the same.
 */
export function createNetwork(scope: Construct, profile: Profile): Network {
  const vpc = new ec2.Vpc(scope, "Vpc", {
    maxAzs: 2,
    natGateways: profile.natGateways,
    subnetConfiguration: [
      { name: "public", subnetType: ec2.SubnetType.PUBLIC },
      { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: "db", subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  // Who talked to what (or was refused), for incident analysis; kept as long as the other logs.
  vpc.addFlowLog("FlowLog", {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(
      new logs.LogGroup(scope, "FlowLogs", { retention: profile.logRetention }),
    ),
    trafficType: ec2.FlowLogTrafficType[profile.flowLogTraffic],
  });
  const webSg = new ec2.SecurityGroup(scope, "WebSg", { vpc, description: "Evenly web app" });
  const lambdaSg = new ec2.SecurityGroup(scope, "LambdaSg", {
    vpc,
    description: "Evenly Lambdas",
  });
  return {
    vpc,
    appSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    webSg,
    lambdaSg,
  };
}
