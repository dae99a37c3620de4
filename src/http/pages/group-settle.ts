import type { AppContext } from "../../services/context.js";
import { getGroupBalances } from "../../services/group-balances.js";
import { getGroup } from "../../services/groups.js";
import { formatAmount } from "./format.js";

/**
 * Settling up inside a group (the group page's "Settle up"): the group's other members, each
 * with what the group's balances (its plan when simplify is on) ask between you, and what you
 * owe one of them there (negative: they owe you). Non-members get NotFound (the 404 page).
 */
export async function groupSettle(ctx: AppContext, groupId: number, me: number) {
  const group = await getGroup(ctx, groupId, me);
  const b = await getGroupBalances(ctx, groupId, {}, me);
  // In one currency (the group's unless named): currencies are never added together.
  const owedTo = (other: number, currency = group.currency) =>
    b.transfers.reduce(
      (sum, t) =>
        sum +
        (t.currency !== currency
          ? 0
          : t.from === me && t.to === other
            ? t.amount
            : t.from === other && t.to === me
              ? -t.amount
              : 0),
      0,
    );
  const people = group.members
    .filter((m) => m.userId !== me)
    .map((m) => {
      // The heading names the group; the hint stays short enough for a phone's select.
      const parts = b.transfers
        .filter((t) => (t.from === me && t.to === m.userId) || (t.from === m.userId && t.to === me))
        .map((t) =>
          t.from === me
            ? `you pay ${formatAmount(t.amount, t.currency)}`
            : `pays you ${formatAmount(t.amount, t.currency)}`,
        );
      const hint = parts.length > 0 ? parts.join(", ") : "settled up";
      return { id: m.userId, name: m.name, hint };
    });
  const names = new Map(group.members.map((m) => [m.userId, m.name]));
  return {
    group: {
      id: group.id,
      name: group.name,
      currency: group.currency,
      archived: group.archivedAt !== null,
    },
    people,
    owedTo,
    nameOf: (id: number) => names.get(id) ?? "them",
  };
}
