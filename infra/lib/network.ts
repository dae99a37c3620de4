import { aws_ec2 as ec2 } from "aws-cdk-lib";
import type { Construct } from "constructs";

export interface Network {
  vpc: ec2.Vpc;
  /** Where the app instances and the Lambdas run. */
  appSubnets: ec2.SubnetSelection;
  webSg: ec2.SecurityGroup;
  lambdaSg: ec2.SecurityGroup;
}

/**
 * The load balancer in public subnets; app instances and Lambdas in private ones (NAT for SQS,
 * SES and Secrets Manager); the database in isolated subnets. Created directly in `scope` (the
 * stack), not in a construct of its own, so the logical IDs of a deployed stack stay the same.
 */
export function createNetwork(scope: Construct): Network {
  const vpc = new ec2.Vpc(scope, "Vpc", {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: "public", subnetType: ec2.SubnetType.PUBLIC },
      { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: "db", subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
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
