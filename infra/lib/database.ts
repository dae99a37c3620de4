import {
  Duration,
  aws_ec2 as ec2,
  aws_rds as rds,
  type aws_secretsmanager as sm,
  Validations,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Network } from "./network.js";
import type { Profile } from "./profile.js";

/** Not PostgreSQL's default 5432 (cdk-nag RDS11): the app reads the port from the secret. */
export const DATABASE_PORT = 5433;

/**
 * PostgreSQL on RDS in the isolated subnets, its generated credentials in Secrets Manager,
 * reachable only from the web app and the Lambdas. In prod a standby in the second zone and a
 * password rotated every `rotationDays` (the app re-reads the secret when a login fails).
 * Returns the credentials' secret.
 */
export function createDatabase(scope: Construct, network: Network, profile: Profile): sm.ISecret {
  const db = new rds.DatabaseInstance(scope, "Database", {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc: network.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    credentials: rds.Credentials.fromGeneratedSecret("evenly"),
    databaseName: "evenly",
    port: DATABASE_PORT,
    multiAz: profile.multiAz,
    allocatedStorage: 20,
    storageEncrypted: true,
    backupRetention: Duration.days(7),
    deletionProtection: true,
  });
  db.connections.allowDefaultPortFrom(network.webSg, "web app");
  db.connections.allowDefaultPortFrom(network.lambdaSg, "notification Lambdas");
  if (profile.rotationDays !== undefined) {
    // The rotation Lambda (from AWS's serverless application repository) runs in the app
    // subnets: it needs the database and, through NAT, the Secrets Manager API.
    db.addRotationSingleUser({
      automaticallyAfter: Duration.days(profile.rotationDays),
      vpcSubnets: network.appSubnets,
    });
  } else {
    Validations.of(db).acknowledge({
      id: "AwsSolutions-SMG4",
      reason: "dev profile: a throwaway database whose password is not rotated; prod rotates it",
    });
  }
  if (!profile.multiAz) {
    Validations.of(db).acknowledge({
      id: "AwsSolutions-RDS3",
      reason: "dev profile: single-AZ to halve the database cost; prod runs a multi-AZ standby",
    });
  }
  return db.secret as sm.ISecret;
}
