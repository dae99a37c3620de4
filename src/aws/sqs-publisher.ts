import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { NotificationMessage } from "../notifications/message.js";
import type { Publisher } from "../notifications/relay.js";

/** SendMessageBatch takes at most 10 entries per call. */
export const SQS_BATCH_LIMIT = 10;

export interface SqsPublisherOptions {
  queueUrl: string;
  client?: SQSClient;
  region?: string | undefined;
  /** Calls per chunk: entries SQS rejected for a server-side reason are sent again this often. */
  attempts?: number;
  /** Told about entries SQS rejected and calls that failed (those messages stay pending). */
  warn?: (obj: object, msg: string) => void;
}

/**
 * Publishes outbox messages to SQS, one message per notification (the v1 JSON, as on pg-boss).
 * Returns only the dedupe keys SQS acknowledged: the relay marks those published, the rest stay
 * pending in the outbox and are offered again on the next relay round. A call that fails as a
 * whole (network, throttling) is reported only when nothing at all was accepted.
 */
export function sqsPublisher(opts: SqsPublisherOptions): Publisher {
  // Bounded calls: the relay holds its outbox rows (and a connection) while it waits for SQS.
  const client =
    opts.client ??
    new SQSClient({
      ...(opts.region ? { region: opts.region } : {}),
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    });
  const attempts = opts.attempts ?? 3;

  async function sendChunk(chunk: NotificationMessage[], accepted: Set<string>): Promise<void> {
    // Entry ids must be short and [A-Za-z0-9_-]: use the position in the chunk.
    let pending = new Map(chunk.map((m, i) => [String(i), m]));
    for (let attempt = 0; attempt < attempts && pending.size > 0; attempt++) {
      const entries: SendMessageBatchRequestEntry[] = [...pending].map(([id, m]) => ({
        Id: id,
        MessageBody: JSON.stringify(m),
        MessageAttributes: { kind: { DataType: "String", StringValue: m.kind } },
      }));
      const res = await client.send(
        new SendMessageBatchCommand({ QueueUrl: opts.queueUrl, Entries: entries }),
      );
      for (const ok of res.Successful ?? []) {
        const m = ok.Id === undefined ? undefined : pending.get(ok.Id);
        if (m) accepted.add(m.dedupeKey);
        if (ok.Id !== undefined) pending.delete(ok.Id);
      }
      const retry = new Map<string, NotificationMessage>();
      for (const failed of res.Failed ?? []) {
        const m = failed.Id === undefined ? undefined : pending.get(failed.Id);
        if (!m) continue;
        opts.warn?.(
          { dedupeKey: m.dedupeKey, code: failed.Code, reason: failed.Message },
          "SQS rejected a notification; it stays pending",
        );
        // A sender fault (e.g. too large) will not succeed by repeating it now.
        if (!failed.SenderFault) retry.set(failed.Id as string, m);
      }
      pending = retry;
    }
  }

  return {
    async publish(messages) {
      const accepted = new Set<string>();
      const chunks: NotificationMessage[][] = [];
      for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
        chunks.push(messages.slice(i, i + SQS_BATCH_LIMIT));
      }
      const results = await Promise.allSettled(chunks.map((c) => sendChunk(c, accepted)));
      const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      if (failures.length > 0 && accepted.size === 0) throw failures[0];
      for (const err of failures)
        opts.warn?.({ err }, "SQS batch failed; its messages stay pending");
      return accepted;
    },
  };
}
