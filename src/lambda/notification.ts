import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DeliveryInProgress, handleNotification } from "../notifications/handler.js";
import { parseMessage } from "../notifications/message.js";
import { type LambdaContext, lambdaContext } from "./context.js";

/**
 * SQS consumer: each record is one notification, handled by the same code as the local pg-boss
 * worker. Failed records are reported in `batchItemFailures` (the event source mapping has
 * ReportBatchItemFailures on), so only they return to the queue; after maxReceiveCount they go to
 * the dead-letter queue. A malformed body fails the same way and ends there too.
 */
export function notificationHandler(context: () => Promise<LambdaContext>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { deps } = await context();
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    // One after another: a small pool, and SES limits sends per second.
    for (const record of event.Records) {
      try {
        const result = await handleNotification(parseMessage(record.body), deps);
        console.log(JSON.stringify({ messageId: record.messageId, result }));
      } catch (err) {
        if (!(err instanceof DeliveryInProgress)) {
          console.error(JSON.stringify({ messageId: record.messageId, error: String(err) }));
        }
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = notificationHandler(lambdaContext);
