import { aws_logs as logs } from "aws-cdk-lib";
import type { Node } from "constructs";

/**
 * Deployment profile. `prod` (the default) survives the loss of an availability zone and keeps
 * its logs; `dev` (`-c profile=dev`) is a cheaper copy for trying the stack out.
 */
export interface Profile {
  name: "prod" | "dev";
  /** RDS standby in a second availability zone, promoted automatically on failure. */
  multiAz: boolean;
  /** NAT gateways: one per zone in prod, so losing a zone does not cut the other one off. */
  natGateways: number;
  /** Web instances: at least one per zone in prod. */
  minInstances: number;
  maxInstances: number;
  /** Days between automatic rotations of the database password; undefined means no rotation. */
  rotationDays: number | undefined;
  /** Retention of instance, Lambda and flow logs (`-c logRetentionDays=N`). */
  logRetention: logs.RetentionDays;
  /** Flow logs record every connection in prod, only rejected ones in dev (cheaper). */
  flowLogTraffic: "ALL" | "REJECT";
  /** Where the alarm topic sends mail (`-c alarmEmail=ops@example.com`); none without it. */
  alarmEmail: string | undefined;
}

const DEFAULTS: Record<Profile["name"], Omit<Profile, "name" | "alarmEmail">> = {
  prod: {
    multiAz: true,
    natGateways: 2,
    minInstances: 2,
    maxInstances: 4,
    rotationDays: 30,
    logRetention: logs.RetentionDays.THREE_MONTHS,
    flowLogTraffic: "ALL",
  },
  dev: {
    multiAz: false,
    natGateways: 1,
    minInstances: 1,
    maxInstances: 2,
    rotationDays: undefined,
    logRetention: logs.RetentionDays.ONE_WEEK,
    flowLogTraffic: "REJECT",
  },
};

/** The retention periods CloudWatch Logs (and Elastic Beanstalk's RetentionInDays) accept. */
const RETENTIONS = new Set<number>(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === "number" && v > 0),
);

/** Reads the profile and its overrides from CDK context; a bad value fails the synth clearly. */
export function profileFromContext(node: Node): Profile {
  const get = (key: string): string | undefined => {
    const v = node.tryGetContext(key) as unknown;
    return v === undefined || v === null || v === "" ? undefined : String(v);
  };
  const name = get("profile") ?? "prod";
  if (name !== "prod" && name !== "dev") {
    throw new Error(`-c profile=${name}: expected prod (the default) or dev`);
  }
  const base = DEFAULTS[name];
  const days = get("logRetentionDays");
  let logRetention = base.logRetention;
  if (days !== undefined) {
    const n = Number(days);
    if (!RETENTIONS.has(n)) {
      throw new Error(
        `-c logRetentionDays=${days}: CloudWatch Logs accepts ${[...RETENTIONS].sort((a, b) => a - b).join(", ")}`,
      );
    }
    logRetention = n as logs.RetentionDays;
  }
  const alarmEmail = get("alarmEmail");
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`-c alarmEmail=${alarmEmail}: not an e-mail address`);
  }
  return { name, ...base, logRetention, alarmEmail };
}
