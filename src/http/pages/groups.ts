import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { FieldIssue } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import { getGroupBalances, listGroupExpenses } from "../../services/group-balances.js";
import { createGroup, type GroupSummary, getGroup, listGroups } from "../../services/groups.js";
import { namesByIds, peopleOf } from "../../services/people.js";
import { requireActor } from "../actor.js";
import { CursorQuery, decodeCursor, encodeCursor } from "../schemas/common.js";
import { ExpenseCursor } from "../schemas/expenses.js";
import { NewGroupBody } from "../schemas/groups.js";
import { currencyOfForm, currencyOptions } from "./currency-choice.js";
import { formFailure } from "./error-pages.js";
import { expenseListItem } from "./expense-views.js";
import { redirectWithFlash } from "./flash.js";
import { formatAmount } from "./format.js";
import { formOf, idOf, many, one, placeIssues, zodIssues } from "./forms.js";
import { netsChart } from "./group-chart.js";
import type { GroupNewView, NetText } from "./group-views.js";
import { IdPath, pageQuery } from "./page-schemas.js";
import { render } from "./views.js";

const EXPENSES_PAGE = 20;
const GROUPS_LISTED = 100;

/** The list of groups (dashboard and Groups page): your net in each, newest first. */
export function groupRows(groups: GroupSummary[], shown: number) {
  return {
    groups: groups.slice(0, shown).map((g) => ({
      id: g.id,
      name: g.name,
      archived: g.archivedAt !== null,
      memberCount: g.members.length,
      ...yourNet(g.nets, g.currency),
    })),
    moreGroups: groups.length > shown,
  };
}

/**
 * Nets in several currencies worded from one side, never added together: "you are owed ₹5.00,
 * you owe $2.00". The tone follows the first non-zero net (the group's currency first).
 */
function netsText(
  nets: { currency: string; amount: number }[],
  first: string,
  owed: string,
  owe: string,
  zero: string,
): NetText {
  const shown = [...nets]
    .filter((n) => n.amount !== 0)
    .sort((a, b) => (a.currency === first ? -1 : b.currency === first ? 1 : 0));
  if (shown.length === 0) return { tone: "zero", text: zero };
  const text = shown
    .map((n) =>
      n.amount > 0
        ? `${owed} ${formatAmount(n.amount, n.currency)}`
        : `${owe} ${formatAmount(-n.amount, n.currency)}`,
    )
    .join(", ");
  return { tone: (shown[0]?.amount ?? 0) > 0 ? "owed" : "owe", text };
}

/** The viewer's own net in a group (each currency apart), worded from their side. */
export function yourNet(nets: { currency: string; amount: number }[], first: string): NetText {
  return netsText(nets, first, "you are owed", "you owe", "settled up");
}

/** A member's nets worded from their side ("is owed ₹5.00, owes $2.00"), neutral when zero. */
function memberNet(nets: { currency: string; amount: number }[], first: string): NetText {
  return netsText(nets, first, "is owed", "owes", `settled up: ${formatAmount(0, first)}`);
}

/** API field → the new-group form's field. */
const newGroupKey = (f: string) =>
  f === "name" || f === "currency"
    ? f
    : f === "members" || f.startsWith("members[")
      ? "members"
      : null;
const NEW_LABELS: Record<string, string> = {
  name: "Name",
  members: "Members",
  currency: "Currency",
};

/** "New group" and a group's page; settings live in group-settings.ts. */
export const groupPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  const showNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: GroupNewView["values"],
    issues: FieldIssue[] = [],
    status = 200,
  ) => {
    const me = requireActor(request).userId;
    const people = await peopleOf(ctx, me);
    const { errors, summary } = placeIssues(issues, newGroupKey, (k) => NEW_LABELS[k] ?? k);
    return render(
      request,
      reply,
      ctx,
      "group-new",
      {
        title: "New group",
        nav: "groups",
        values,
        people: people.map((p) => ({ id: p.id, name: p.name })),
        currencies: currencyOptions(),
        errors,
        summary,
      },
      status,
    );
  };

  app.get("/groups", async (request, reply) => {
    const me = requireActor(request).userId;
    const groups = await listGroups(ctx, me, { limit: GROUPS_LISTED + 1 });
    return render(request, reply, ctx, "groups", {
      title: "Groups",
      nav: "groups",
      ...groupRows(groups, GROUPS_LISTED),
    });
  });

  app.get("/groups/new", async (request, reply) =>
    showNew(request, reply, {
      name: "",
      simplify: true,
      members: [],
      currency: ctx.config.APP_CURRENCY,
    }),
  );

  app.post("/groups/new", async (request, reply) => {
    const me = requireActor(request).userId;
    const form = formOf(request.body);
    const values = {
      name: one(form, "name").trim(),
      // The form always sends simplify=0 (hidden) then simplify=1 when ticked: the last wins.
      simplify: many(form, "simplify").includes("1"),
      members: many(form, "member"),
      currency: currencyOfForm(one(form, "currency")) || ctx.config.APP_CURRENCY,
    };
    const parsed = NewGroupBody.safeParse({
      name: values.name,
      currency: values.currency,
      members: values.members.map(idOf).filter((id) => id !== me),
      simplify_debts: values.simplify,
    });
    if (!parsed.success) return showNew(request, reply, values, zodIssues(parsed.error), 422);
    try {
      const group = await createGroup(ctx, parsed.data, me);
      return redirectWithFlash(request, reply, `/app/groups/${group.id}`, "group-created");
    } catch (err) {
      const { status, issues } = formFailure(err, reply);
      return showNew(request, reply, values, issues, status);
    }
  });

  app.get(
    "/groups/:id",
    { schema: { params: IdPath, querystring: pageQuery({ cursor: CursorQuery }) } },
    async (request, reply) => {
      const me = requireActor(request).userId;
      const id = request.params.id;
      // Non-members: NotFound → the 404 page, before anything else is read.
      const group = await getGroup(ctx, id, me);
      const before = decodeCursor(request.query.cursor, ExpenseCursor);
      const [balances, rows] = await Promise.all([
        getGroupBalances(ctx, id, {}, me),
        listGroupExpenses(ctx, id, { limit: EXPENSES_PAGE + 1, before }, me),
      ]);
      const expenses = rows.slice(0, EXPENSES_PAGE);
      const payerNames = await namesByIds(
        ctx,
        expenses.map((e) => e.payers[0]?.userId ?? 0),
      );
      // Transfers may name someone who has left the group (a former member's old debts).
      const names = await namesByIds(ctx, [
        ...group.members.map((m) => m.userId),
        ...balances.transfers.flatMap((t) => [t.from, t.to]),
      ]);
      const nameOf = (uid: number) => (uid === me ? "You" : (names.get(uid) ?? `User ${uid}`));
      const archived = group.archivedAt !== null;
      const members = balances.members.map((m) => ({
        id: m.userId,
        name: m.name,
        you: m.userId === me,
        ...memberNet(m.nets, balances.currency),
      }));
      const last = expenses.at(-1);
      return render(request, reply, ctx, "group", {
        title: group.name,
        nav: "groups",
        id,
        name: group.name,
        archived,
        simplified: balances.simplified,
        members,
        transfers: balances.transfers.map((t) => {
          const side = t.from === me ? "pay" : t.to === me ? "collect" : null;
          return {
            fromName: nameOf(t.from),
            toName: t.to === me ? "you" : nameOf(t.to),
            amountText: formatAmount(t.amount, t.currency),
            currency: t.currency,
            settleWith: archived || side === null ? null : side === "pay" ? t.to : t.from,
            yourSide: side,
          };
        }),
        expenses: expenses.map((e) => expenseListItem(e, me, payerNames)),
        olderUrl:
          rows.length > EXPENSES_PAGE && last
            ? `/app/groups/${id}?cursor=${encodeCursor({ date: last.date, id: last.id })}`
            : null,
        chart: netsChart(
          group,
          balances.members.map((m) => ({ name: m.name, net: m.net })),
        ),
        addExpenseUrl: `/app/expenses/new?group=${id}`,
      });
    },
  );
};
