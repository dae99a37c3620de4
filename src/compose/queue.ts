import { sqsPublisher } from "../aws/sqs-publisher.js";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import {
  type Log,
  type QueueRuntime,
  startNotifications,
  startSqsRelay,
} from "../notifications/runtime.js";
import { createMailer } from "./mailer.js";

/** The pipeline QUEUE selects: pg-boss with the local worker (default) or the relay to SQS. */
export async function startQueue(
  handle: DatabaseHandle,
  config: Config,
  log: Log,
): Promise<QueueRuntime> {
  if (config.QUEUE !== "sqs") return startNotifications(handle, config, log, createMailer(config));
  if (!config.SQS_QUEUE_URL) throw new Error("QUEUE=sqs needs SQS_QUEUE_URL");
  const publisher = sqsPublisher({
    queueUrl: config.SQS_QUEUE_URL,
    region: config.AWS_REGION,
    warn: (obj, msg) => log.error(obj, msg),
  });
  return startSqsRelay(handle, config, log, publisher);
}
