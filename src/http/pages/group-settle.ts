import type { AppContext } from "../../services/context.js";
import { getGroupBalances } from "../../services/group-balances.js";
import { getGroup } from "../../services/groups.js";
import { formatInr } from "./format.js";

/**
 * Settling up inside a group (the group page's "Settle up"): the group's other members, each
 * with what the group's balances (its plan when simplify is on) ask between you, and what you
 * owe one of them there (negative: they owe you). Non-members get NotFound (the 404 page).
 */
export async function groupSettle(ctx: AppContext, groupId: number, me: number) {
  const group = await getGroup(ctx, groupId, me);
  const b = await getGroupBalances(ctx, groupId, {}, me);
  const owedTo = (other: number) =>
    b.transfers.reduce(
      (sum, t) =>
        sum +
        (t.from === me && t.to === other
          ? t.amount
          : t.from === other && t.to === me
            ? -t.amount
            : 0),
      0,
    );
  const people = group.members
    .filter((m) => m.userId !== me)
    .map((m) => {
      const owe = owedTo(m.userId);
      // The heading names the group; the hint stays short enough for a phone's select.
      const hint =
        owe > 0
          ? `you pay ${formatInr(owe)}`
          : owe < 0
            ? `pays you ${formatInr(-owe)}`
            : "settled up";
      return { id: m.userId, name: m.name, hint };
    });
  const names = new Map(group.members.map((m) => [m.userId, m.name]));
  return {
    group: { id: group.id, name: group.name, archived: group.archivedAt !== null },
    people,
    owedTo,
    nameOf: (id: number) => names.get(id) ?? "them",
  };
}
