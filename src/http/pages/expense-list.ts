import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ExpenseRecord } from "../../db/repos/expenses.js";
import type { AppContext } from "../../services/context.js";
import { listUserExpenses } from "../../services/expense-reads.js";
import { namesByIds, peopleOf } from "../../services/people.js";
import { type CurrencyTotal, monthTotals } from "../../services/spending.js";
import { requireActor } from "../actor.js";
import { CursorQuery, decodeCursor, encodeCursor, SingleLine } from "../schemas/common.js";
import { ExpenseCursor } from "../schemas/expenses.js";
import { currencyOrder } from "./currency-lines.js";
import { expenseListItem, payerIds } from "./expense-views.js";
import { formatAmount, formatMonth } from "./format.js";
import { OptionalIdQuery, pageQuery } from "./page-schemas.js";
import { type ExpenseMonth, render } from "./views.js";

const PAGE_SIZE = 20;

/**
 * `?q=`: the search text, trimmed, by the API's rule for search terms (one line, ≤ 100
 * characters); anything else means no search (a NUL reached PostgreSQL and answered 500).
 */
const SearchQuery = SingleLine(100).optional().catch(undefined);

/**
 * A month's totals, one per currency, never added together: "₹600.00 in 3 expenses · your share
 * ₹300.00; $30.00 in 1 expense · your share $15.00". ₹0.00 (APP_CURRENCY) when there are none.
 */
function totalsText(currencies: CurrencyTotal[], first: string): ExpenseMonth["totals"] {
  const shown =
    currencies.length > 0 ? [...currencies] : [{ currency: first, total: 0, yours: 0, count: 0 }];
  return shown.sort(currencyOrder(first)).map((t) => ({
    totalText: formatAmount(t.total, t.currency),
    yoursText: formatAmount(t.yours, t.currency),
    count: t.count,
  }));
}

const cursorOf = (e: ExpenseRecord) => encodeCursor({ date: e.date, id: e.id });

/**
 * The expense list: newest first, grouped under month headings with each month's totals (per
 * currency), a text search over descriptions, a filter by person, and pages both ways ("Newer",
 * "Older").
 */
export const expenseListPage = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const query = pageQuery({
    person: OptionalIdQuery,
    q: SearchQuery,
    cursor: CursorQuery,
    newer: CursorQuery,
  });
  app.get("/expenses", { schema: { querystring: query } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const { person, cursor, newer } = request.query;
    const q = request.query.q || undefined;
    const before = decodeCursor(cursor, ExpenseCursor);
    const after = before ? undefined : decodeCursor(newer, ExpenseCursor);
    const filter = { withUser: person, search: q };
    const rows = await listUserExpenses(
      ctx,
      me,
      { ...filter, limit: PAGE_SIZE + 1, before, after },
      me,
    );
    // Going back (`after`), the extra row is the newest; going forward, the oldest.
    const more = rows.length > PAGE_SIZE;
    const page = after
      ? rows.slice(rows.length - Math.min(rows.length, PAGE_SIZE))
      : rows.slice(0, PAGE_SIZE);
    const hasOlder = after ? page.length > 0 : more;
    const hasNewer = after ? more : before !== undefined;

    const link = (extra: Record<string, string>) => {
      const params = new URLSearchParams();
      if (person) params.set("person", String(person));
      if (q) params.set("q", q);
      for (const [k, v] of Object.entries(extra)) params.set(k, v);
      const text = params.toString();
      return text ? `/app/expenses?${text}` : "/app/expenses";
    };
    const first = page[0];
    const last = page.at(-1);

    const names = await namesByIds(ctx, payerIds(page));
    const months: ExpenseMonth[] = [];
    if (first && last) {
      const totals = await monthTotals(
        ctx,
        me,
        filter,
        { fromMonth: last.date.slice(0, 7), toMonth: first.date.slice(0, 7) },
        me,
      );
      const byMonth = new Map(totals.map((t) => [t.month, t]));
      for (const e of page) {
        const month = e.date.slice(0, 7);
        let group = months.at(-1);
        if (group?.key !== month) {
          group = {
            key: month,
            label: formatMonth(month),
            totals: totalsText(byMonth.get(month)?.currencies ?? [], ctx.config.APP_CURRENCY),
            items: [],
          };
          months.push(group);
        }
        group.items.push(expenseListItem(e, me, names));
      }
    }
    return render(request, reply, ctx, "expenses", {
      title: q ? `Expenses matching “${q}”` : "Expenses",
      nav: "expenses",
      months,
      people: await peopleOf(ctx, me),
      person: person ?? null,
      q: q ?? "",
      olderUrl: hasOlder && last ? link({ cursor: cursorOf(last) }) : null,
      newerUrl: hasNewer && first ? link({ newer: cursorOf(first) }) : null,
    });
  });
};
