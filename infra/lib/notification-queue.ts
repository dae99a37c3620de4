import { Duration, aws_sqs as sqs } from "aws-cdk-lib";
import type { Construct } from "constructs";

/** The consumer Lambda's timeout; SQS hides a received message for six times as long. */
export const CONSUMER_TIMEOUT = Duration.seconds(30);
/** Receives before a message is moved to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

export interface NotificationQueue {
  queue: sqs.Queue;
  deadLetters: sqs.Queue;
}

/** The queue the web app publishes outbox records to, with its dead-letter queue. */
export function createNotificationQueue(scope: Construct): NotificationQueue {
  const deadLetters = new sqs.Queue(scope, "NotificationDlq", {
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const queue = new sqs.Queue(scope, "NotificationQueue", {
    // Longer than the consumer's timeout, or a message still being handled is handed out again.
    visibilityTimeout: Duration.seconds(CONSUMER_TIMEOUT.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
  });
  return { queue, deadLetters };
}
