import { joinNames } from "./events.js";
import type { ExpensePayload } from "./message.js";

/**
 * Nobody sees a person they do not know, in a mail either. An expense mail is composed when the
 * expense changes, for everyone it involved before or after; someone an edit took out of it gets
 * the new version, whose payer or editor they may not know (they no longer share the expense).
 * When the mail is sent, those names are replaced by these words.
 */
export const SOMEONE = "someone you don't know";

/** Every person an expense mail may name, by id. */
export function peopleNamedIn(p: ExpensePayload): number[] {
  const ids = new Set<number>([p.payerId]);
  for (const x of p.payers ?? []) ids.add(x.userId);
  for (const x of p.yourDebts ?? []) ids.add(x.userId);
  if (p.actorId !== undefined && p.actorId !== null) ids.add(p.actorId);
  return [...ids];
}

/** The payload with every name of someone outside `known` replaced (no actorId: as it is). */
export function withoutStrangers(p: ExpensePayload, known: ReadonlySet<number>): ExpensePayload {
  const name = (id: number, n: string) => (known.has(id) ? n : SOMEONE);
  const payers = p.payers?.map((x) => ({ ...x, name: name(x.userId, x.name) }));
  const several = payers !== undefined && payers.length > 1;
  const strangers = (p.payers ?? []).filter((x) => !known.has(x.userId)).length;
  const payerName = !several
    ? name(p.payerId, p.payerName)
    : strangers === 0
      ? p.payerName
      : joinNames([
          ...(p.payers ?? []).filter((x) => known.has(x.userId)).map((x) => x.name),
          strangers === 1 ? SOMEONE : `${strangers} people you don't know`,
        ]);
  return {
    ...p,
    payerName,
    payers,
    yourDebts: p.yourDebts?.map((x) => ({ ...x, name: name(x.userId, x.name) })),
    actorName:
      p.actorName !== null && p.actorId !== undefined && p.actorId !== null
        ? name(p.actorId, p.actorName)
        : p.actorName,
  };
}
