import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { FieldIssue } from "../../domain/errors.js";
import { NotFound } from "../../domain/errors.js";
import { getBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";
import { listUserExpenses } from "../../services/expense-reads.js";
import { addFriend } from "../../services/friends.js";
import { knownNames, namesByIds, peopleOf } from "../../services/people.js";
import { listUserSettlements } from "../../services/settlements.js";
import { requireActor } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { AddFriendBody } from "../schemas/friends.js";
import { balanceLinesWith, toneOf } from "./currency-lines.js";
import { formFailure } from "./error-pages.js";
import { expenseListItem, payerIds } from "./expense-views.js";
import { formatAmount, formatDate } from "./format.js";
import { formOf, one, placeIssues, zodIssues } from "./forms.js";
import { IdPath } from "./page-schemas.js";
import { type BalanceText, type FriendsView, type HistoryItem, render } from "./views.js";

const HISTORY_SIZE = 30;

/** "Friends": everyone you know with the balance between you, invite by email, and a person's page. */
export const friendPages =
  (ctx: AppContext, limits: AuthRateLimits) => async (scope: FastifyInstance) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    // A balance with each person in every currency between you, one line each (never added
    // together): "owes you $12.00 · you owe ₹50.00"; no lines means "settled up".
    const balancesOf = async (me: number) => {
      const b = await getBalances(ctx, me, { simplify: false }, me);
      return (id: number): BalanceText => {
        const lines = balanceLinesWith(b, id, ctx.config.APP_CURRENCY);
        return {
          tone: toneOf(lines),
          lines: lines.map((l) => ({ tone: l.tone, amountText: l.amountText })),
        };
      };
    };

    const list = async (
      request: FastifyRequest,
      reply: FastifyReply,
      values: FriendsView["values"],
      issues: FieldIssue[] = [],
      status = 200,
    ) => {
      const me = requireActor(request).userId;
      const [people, balance] = await Promise.all([peopleOf(ctx, me), balancesOf(me)]);
      const labels: Record<string, string> = { email: "Email", name: "Their name" };
      const { errors, summary } = placeIssues(
        issues,
        (f) => (f in labels ? f : null),
        (k) => labels[k] ?? k,
      );
      return render(
        request,
        reply,
        ctx,
        "friends",
        {
          title: "Friends",
          nav: "friends",
          people: people.map((p) => ({ id: p.id, name: p.name, email: p.email, ...balance(p.id) })),
          values,
          errors,
          summary,
        },
        status,
      );
    };

    app.get("/friends", async (request, reply) =>
      list(request, reply, { email: "", name: "", invite: false }),
    );

    // Add by exact email (the two become friends), or invite someone new by name and email —
    // the same as POST /friends {email, name}: an account to claim and a mail with the link.
    app.post("/friends", async (request, reply) => {
      const me = requireActor(request).userId;
      const form = formOf(request.body);
      const values = {
        email: one(form, "email").trim(),
        name: one(form, "name").trim(),
        invite: one(form, "invite") === "1",
      };
      const parsed = AddFriendBody.safeParse({
        email: values.email,
        ...(values.name ? { name: values.name } : {}),
      });
      if (!parsed.success) return list(request, reply, values, zodIssues(parsed.error), 422);
      try {
        if (parsed.data.name !== undefined) await limits.beforeInvite(request.ip, me);
        const { friend } = await addFriend(ctx, me, parsed.data);
        return reply.redirect(`/app/friends/${friend.id}`, 303);
      } catch (err) {
        const { status, issues } = formFailure(err, reply);
        const unknown = issues.some((i) => i.field === "name");
        const shown = unknown
          ? [
              {
                field: "name",
                message: "nobody uses this email yet: give their name to invite them",
              },
            ]
          : issues;
        return list(request, reply, { ...values, invite: values.invite || unknown }, shown, status);
      }
    });

    // One person: the balance, what to do next, and the history of expenses and settlements
    // between you, newest first. Only people you know (anyone else is the 404 page).
    app.get("/friends/:id", { schema: { params: IdPath } }, async (request, reply) => {
      const me = requireActor(request).userId;
      const other = request.params.id;
      const name = (await knownNames(ctx, me, [other])).get(other);
      if (other === me || name === undefined) throw new NotFound("user", other);
      const [expenses, settlements, balance] = await Promise.all([
        listUserExpenses(ctx, me, { limit: HISTORY_SIZE, withUser: other }, me),
        listUserSettlements(ctx, me, { limit: HISTORY_SIZE, withUser: other }, me),
        balancesOf(me),
      ]);
      const payers = await namesByIds(ctx, payerIds(expenses));
      const day = (at: Date) =>
        at.toLocaleDateString("en-CA", { timeZone: ctx.config.APP_TIMEZONE });
      const items: (HistoryItem & { sortKey: string })[] = [
        ...expenses.map((e) => ({
          kind: "expense" as const,
          sortKey: `${e.date} ${e.createdAt.toISOString()}`,
          ...expenseListItem(e, me, payers),
        })),
        ...settlements.map((s) => ({
          kind: "settlement" as const,
          sortKey: `${day(s.createdAt)} ${s.createdAt.toISOString()}`,
          id: s.id,
          description: s.fromUser === me ? `You paid ${name}` : `${name} paid you`,
          date: formatDate(day(s.createdAt)),
          amountText: formatAmount(s.amount, s.currency),
          payerName: s.fromUser === me ? "You" : name,
          yourPart: "settlement",
          partTone: "none" as const,
          note: s.note,
        })),
      ];
      items.sort((x, y) => (x.sortKey < y.sortKey ? 1 : x.sortKey > y.sortKey ? -1 : 0));
      return render(request, reply, ctx, "person", {
        title: name,
        nav: "friends",
        id: other,
        name,
        ...balance(other),
        items: items.slice(0, HISTORY_SIZE).map(({ sortKey: _, ...i }) => i),
        more: expenses.length >= HISTORY_SIZE || settlements.length >= HISTORY_SIZE,
      });
    });
  };
