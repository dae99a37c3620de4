import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { todayIn } from "../../domain/dates.js";
import { formatPaise } from "../../domain/money.js";
import { getBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";
import { listGroups } from "../../services/groups.js";
import { recentMonths } from "../../services/spending.js";
import { requireActor } from "../actor.js";
import { spendingChart } from "./chart.js";
import { formatInr } from "./format.js";
import { groupRows } from "./groups.js";
import { FlagQuery, pageQuery } from "./page-schemas.js";
import { type PersonRow, render } from "./views.js";

/** How many groups the dashboard lists (newest first). */
const GROUPS_SHOWN = 20;

/** How many months the spending chart covers, this one included. */
const CHART_MONTHS = 6;

/** Dashboard: totals, one row per person, the fewest-transfer plan on request, spending by month. */
export const dashboardPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const query = pageQuery({ simplify: FlagQuery });
  app.get("/", { schema: { querystring: query } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const simplify = request.query.simplify;
    const b = await getBalances(ctx, me, { simplify }, me);
    // Names only, also of strangers a simplified plan asks you to pay or collect from.
    const names = b.names;
    const signed = [
      ...b.owedBy.map((x) => ({ id: x.userId, paise: x.amount })),
      ...b.owes.map((x) => ({ id: x.userId, paise: -x.amount })),
    ]
      .map((x) => ({ ...x, name: names.get(x.id) ?? `User ${x.id}` }))
      .sort((a, c) => a.name.localeCompare(c.name) || a.id - c.id);
    const rows: PersonRow[] = signed.map((x) => ({
      id: x.id,
      name: x.name,
      direction: x.paise >= 0 ? "owed" : "owe",
      amountText: formatInr(Math.abs(x.paise)),
      amountValue: formatPaise(Math.abs(x.paise)),
    }));
    const groups = await listGroups(ctx, me, { limit: GROUPS_SHOWN + 1 });
    const totalOwe = b.owes.reduce((s, x) => s + x.amount, 0);
    const totalOwed = b.owedBy.reduce((s, x) => s + x.amount, 0);
    return render(request, reply, ctx, "dashboard", {
      title: "Dashboard",
      nav: "dashboard",
      simplify,
      totalOwe: formatInr(totalOwe),
      totalOwed: formatInr(totalOwed),
      // A zero total is neither a debt nor a credit: no red, no green.
      totalOweTone: totalOwe === 0 ? "zero" : "owe",
      totalOwedTone: totalOwed === 0 ? "zero" : "owed",
      net: formatInr(Math.abs(b.net)),
      netDirection: b.net > 0 ? "owed" : b.net < 0 ? "owe" : "even",
      rows,
      ...groupRows(groups, GROUPS_SHOWN),
      chart: spendingChart(
        await recentMonths(ctx, me, todayIn(ctx.config.APP_TIMEZONE).slice(0, 7), CHART_MONTHS, me),
      ),
    });
  });
};
