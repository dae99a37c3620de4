import {
  Duration,
  aws_ec2 as ec2,
  aws_rds as rds,
  type aws_secretsmanager as sm,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Network } from "./network.js";

/**
 * PostgreSQL on RDS in the isolated subnets, its generated credentials in Secrets Manager,
 * reachable only from the web app and the Lambdas. Returns the credentials' secret.
 */
export function createDatabase(scope: Construct, network: Network): sm.ISecret {
  const db = new rds.DatabaseInstance(scope, "Database", {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc: network.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    credentials: rds.Credentials.fromGeneratedSecret("evenly"),
    databaseName: "evenly",
    allocatedStorage: 20,
    storageEncrypted: true,
    backupRetention: Duration.days(7),
    deletionProtection: true,
  });
  db.connections.allowDefaultPortFrom(network.webSg, "web app");
  db.connections.allowDefaultPortFrom(network.lambdaSg, "notification Lambdas");
  return db.secret as sm.ISecret;
}
