import { eq, sql } from "drizzle-orm";
import { notificationDeliveries } from "../schema.js";
import type { Executor } from "../types.js";

// One row per dedupe key: the claim that makes a notification go out at most once.

export type DeliveryStatus = "sending" | "sent" | "suppressed" | "released";

/**
 * Claims the dedupe key for sending: a new key, a released one, or a `sending` claim older than
 * the lease (its worker died). Returns false when someone else holds it or it is done.
 */
export async function claimDelivery(
  db: Executor,
  dedupeKey: string,
  leaseSeconds: number,
): Promise<boolean> {
  const claim = (await db.execute(sql`
    insert into notification_deliveries (dedupe_key, status) values (${dedupeKey}, 'sending')
    on conflict (dedupe_key) do update
      set status = 'sending', attempts = notification_deliveries.attempts + 1, claimed_at = now()
      where notification_deliveries.status = 'released'
         or (notification_deliveries.status = 'sending'
             and notification_deliveries.claimed_at < now() - make_interval(secs => ${leaseSeconds}))
    returning dedupe_key`)) as unknown as { rows: unknown[] };
  return claim.rows.length > 0;
}

export async function deliveryStatus(
  db: Executor,
  dedupeKey: string,
): Promise<DeliveryStatus | undefined> {
  const [row] = await db
    .select({ status: notificationDeliveries.status })
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.dedupeKey, dedupeKey));
  return row?.status as DeliveryStatus | undefined;
}

/** Ends a claim: sent or suppressed for good, or released for a retry to claim again. */
export async function finishDelivery(
  db: Executor,
  dedupeKey: string,
  status: Exclude<DeliveryStatus, "sending">,
  messageId: string | null,
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({ status, messageId, finishedAt: status === "released" ? null : sql`now()` })
    .where(eq(notificationDeliveries.dedupeKey, dedupeKey));
}
