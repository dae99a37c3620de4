import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { todayIn } from "../../domain/dates.js";
import { getBalances, type UserBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";
import { listGroups } from "../../services/groups.js";
import { recentMonths } from "../../services/spending.js";
import { requireActor } from "../actor.js";
import { spendingChart } from "./chart.js";
import { type CurrencyAmount, currencyOrder, sumsByCurrency } from "./currency-lines.js";
import { formatAmount } from "./format.js";
import { groupRows } from "./groups.js";
import { FlagQuery, pageQuery } from "./page-schemas.js";
import { type NetLine, type PersonRow, render } from "./views.js";

/** How many groups the dashboard lists (newest first). */
const GROUPS_SHOWN = 20;

/** How many months the spending chart covers, this one included. */
const CHART_MONTHS = 6;

/**
 * One row per person and currency, by name, then APP_CURRENCY first: "Bela owes you $12.00" and
 * "you owe Bela ₹50.00" are two rows, each with its own "Settle up" for that currency.
 */
function personRows(b: UserBalances, first: string): PersonRow[] {
  const entries = [
    ...b.owedBy.map((x) => ({ ...x, direction: "owed" as const })),
    ...b.owes.map((x) => ({ ...x, direction: "owe" as const })),
  ];
  const order = currencyOrder(first);
  // Names only, also of strangers a simplified plan asks you to pay or collect from.
  const nameOf = (id: number) => b.names.get(id) ?? `User ${id}`;
  const currencies = new Map<number, number>();
  for (const x of entries) currencies.set(x.userId, (currencies.get(x.userId) ?? 0) + 1);
  return entries
    .sort(
      (x, y) =>
        nameOf(x.userId).localeCompare(nameOf(y.userId)) || x.userId - y.userId || order(x, y),
    )
    .map((x) => ({
      id: x.userId,
      name: nameOf(x.userId),
      direction: x.direction,
      amountText: formatAmount(x.amount, x.currency),
      currency: x.currency,
      settleLabel:
        (currencies.get(x.userId) ?? 0) > 1
          ? ` with ${nameOf(x.userId)} in ${x.currency}`
          : ` with ${nameOf(x.userId)}`,
    }));
}

/** Dashboard: totals per currency, one row per person and currency, the fewest-transfer plan on request, spending by month. */
export const dashboardPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const query = pageQuery({ simplify: FlagQuery });
  app.get("/", { schema: { querystring: query } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const simplify = request.query.simplify;
    const b = await getBalances(ctx, me, { simplify }, me);
    const first = ctx.config.APP_CURRENCY;
    const groups = await listGroups(ctx, me, { limit: GROUPS_SHOWN + 1 });
    const owe = sumsByCurrency(b.owes, first);
    const owed = sumsByCurrency(b.owedBy, first);
    // Never a sum across currencies: one line per currency, ₹0.00 (APP_CURRENCY) when none.
    const totalLines = (sums: CurrencyAmount[]) =>
      sums.length === 0
        ? [formatAmount(0, first)]
        : sums.map((x) => formatAmount(x.amount, x.currency));
    return render(request, reply, ctx, "dashboard", {
      title: "Dashboard",
      nav: "dashboard",
      simplify,
      totalOwe: totalLines(owe),
      totalOwed: totalLines(owed),
      // A zero total is neither a debt nor a credit: no red, no green.
      totalOweTone: owe.length === 0 ? "zero" : "owe",
      totalOwedTone: owed.length === 0 ? "zero" : "owed",
      nets: [...b.nets].sort(currencyOrder(first)).map(
        (n): NetLine => ({
          direction: n.amount > 0 ? "owed" : "owe",
          amountText: formatAmount(Math.abs(n.amount), n.currency),
        }),
      ),
      rows: personRows(b, first),
      ...groupRows(groups, GROUPS_SHOWN),
      chart: spendingChart(
        await recentMonths(ctx, me, todayIn(ctx.config.APP_TIMEZONE).slice(0, 7), CHART_MONTHS, me),
        first,
      ),
    });
  });
};
