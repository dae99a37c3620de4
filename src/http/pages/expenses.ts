import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ExpenseRecord } from "../../db/repos/expenses.js";
import { formatMinor } from "../../domain/currency.js";
import { todayIn } from "../../domain/dates.js";
import { Forbidden, PreconditionFailed } from "../../domain/errors.js";
import { formatPaise } from "../../domain/money.js";
import { paidBy } from "../../domain/payers.js";
import type { AppContext } from "../../services/context.js";
import { getExpense, getExpenseForChange } from "../../services/expense-reads.js";
import {
  createExpense,
  deleteExpenseById,
  replaceExpenseById,
  type WriteCondition,
} from "../../services/expenses.js";
import { getGroup } from "../../services/groups.js";
import { requireActor } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { formFailure } from "./error-pages.js";
import { type FormTarget, formPeople, newExpenseTarget, showExpenseForm } from "./expense-form.js";
import { itemizedValues, itemRowsOf } from "./expense-items.js";
import { submitExpenseForm } from "./expense-submit.js";
import { detailOf, expenseDetail } from "./expense-views.js";
import { redirectWithFlash } from "./flash.js";
import { formOf, idOf, one } from "./forms.js";
import { IdPath, OptionalIdQuery, pageQuery } from "./page-schemas.js";
import { render } from "./views.js";

const editTarget = (e: ExpenseRecord): FormTarget => ({
  mode: "edit",
  action: `/app/expenses/${e.id}/edit`,
  expenseId: e.id,
  version: e.version,
});

/** The version the form was rendered with: edits and deletes apply only to that version. */
const sameVersion = (request: FastifyRequest): WriteCondition => {
  const v = idOf(one(formOf(request.body), "version"));
  return Number.isNaN(v) ? {} : { ifMatch: (current) => current === v };
};

/** The expense list, detail, add, edit and delete pages over the expense services. */
export const expensePages =
  (ctx: AppContext, limits: AuthRateLimits) => async (scope: FastifyInstance) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();

    const submit = submitExpenseForm.bind(null, ctx, limits);

    // `?with=<id>` ticks that person; `?group=<id>` (a group page's "Add expense") ticks the
    // group's members and carries the group (non-members get the 404 page).
    app.get(
      "/expenses/new",
      { schema: { querystring: pageQuery({ with: OptionalIdQuery, group: OptionalIdQuery }) } },
      async (request, reply) => {
        const me = requireActor(request).userId;
        const withId = request.query.with;
        const groupId = request.query.group;
        const group = groupId === undefined ? null : await getGroup(ctx, groupId, me);
        const checked = new Set([
          me,
          ...(withId === undefined ? [] : [withId]),
          ...(group ? group.members.map((m) => m.userId) : []),
        ]);
        const people = await formPeople(ctx, me, [...checked], checked, () => "");
        return showExpenseForm(ctx, request, reply, {
          target: newExpenseTarget,
          values: {
            description: "",
            amount: "",
            date: todayIn(ctx.config.APP_TIMEZONE),
            paid_by: String(me),
            payer_mode: "one",
            split_type: "EQUAL",
            email: "",
            group_id: group ? String(group.id) : "",
            currency: group ? group.currency : ctx.config.APP_CURRENCY,
          },
          people,
        });
      },
    );

    app.post("/expenses/new", async (request, reply) =>
      submit(request, reply, newExpenseTarget, (input, me) => createExpense(ctx, input, me), null),
    );

    app.get("/expenses/:id", { schema: { params: IdPath } }, async (request, reply) => {
      const d = await expenseDetail(ctx, request.params.id, requireActor(request).userId);
      return render(request, reply, ctx, "expense", {
        title: d.description,
        nav: "expenses",
        ...d,
      });
    });

    // Offered only to those who may change it; anyone else typing the address gets the 403 page.
    app.get("/expenses/:id/delete", { schema: { params: IdPath } }, async (request, reply) => {
      const me = requireActor(request).userId;
      const e = await getExpenseForChange(ctx, request.params.id, me);
      const d = await detailOf(ctx, e, me, true);
      return render(request, reply, ctx, "expense-delete", {
        title: `Delete ${d.description}`,
        nav: "expenses",
        ...d,
      });
    });

    app.post("/expenses/:id/delete", { schema: { params: IdPath } }, async (request, reply) => {
      const me = requireActor(request).userId;
      try {
        await deleteExpenseById(ctx, request.params.id, me, sameVersion(request));
      } catch (err) {
        if (!(err instanceof PreconditionFailed || err instanceof Forbidden)) throw err;
        // The confirmation again, now showing the current state: 412 as on the API, or 403 with
        // the reason (the rights changed since the page was opened) and no Delete button.
        const { status } = formFailure(err, reply);
        const e = await expenseDetail(ctx, request.params.id, me);
        const why = err instanceof Forbidden ? { refused: err.message } : { conflict: true };
        return render(
          request,
          reply,
          ctx,
          "expense-delete",
          { title: `Delete ${e.description}`, nav: "expenses", ...e, ...why },
          status,
        );
      }
      return redirectWithFlash(request, reply, "/app/expenses", "deleted");
    });

    // Offered only to those who may change it; anyone else typing the address gets the 403 page.
    app.get("/expenses/:id/edit", { schema: { params: IdPath } }, async (request, reply) => {
      const me = requireActor(request).userId;
      const e = await getExpenseForChange(ctx, request.params.id, me);
      const payer = paidBy(e.payers);
      const shares = new Map(e.shares.map((s) => [s.userId, s]));
      const paid = new Map(e.payers.map((p) => [p.userId, p.amount]));
      const people = await formPeople(
        ctx,
        me,
        [...paid.keys(), ...shares.keys()],
        new Set(shares.keys()),
        (id) => {
          const i = e.shares.findIndex((s) => s.userId === id);
          const v = i < 0 ? undefined : e.split.values?.[i];
          if (v === undefined) return "";
          // Exact amounts and adjustments are money in the expense's currency; the rest hundredths.
          const money = e.split.type === "EXACT" || e.split.type === "ADJUSTMENT";
          return money ? formatMinor(v, e.currency) : formatPaise(v);
        },
        (id) => {
          const v = payer !== null ? undefined : paid.get(id);
          return v === undefined ? "" : formatMinor(v, e.currency);
        },
      );
      return showExpenseForm(ctx, request, reply, {
        target: editTarget(e),
        values: {
          description: e.description,
          amount: formatMinor(e.amount, e.currency),
          // Editing keeps the expense's own currency (booked at a rate: the group's).
          currency: e.currency,
          date: e.date,
          // Several payers: the select starts at you; the "Paid" boxes count.
          paid_by: String(payer ?? me),
          payer_mode: payer === null ? "several" : "one",
          split_type: e.split.type,
          email: "",
          // Shown only: saving an edit keeps the expense's group (POST below).
          group_id: e.groupId === null ? "" : String(e.groupId),
          ...itemizedValues(e),
        },
        people,
        items: itemRowsOf(e),
      });
    });

    app.post("/expenses/:id/edit", { schema: { params: IdPath } }, async (request, reply) => {
      const e = await getExpense(ctx, request.params.id, requireActor(request).userId);
      return submit(
        request,
        reply,
        editTarget(e),
        (input, me) =>
          replaceExpenseById(
            ctx,
            e.id,
            { ...input, group_id: e.groupId },
            me,
            sameVersion(request),
          ),
        e.groupId,
      );
    });
  };
