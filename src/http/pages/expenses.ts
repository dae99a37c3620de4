import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { todayIn } from "../../domain/dates.js";
import { Forbidden, PreconditionFailed } from "../../domain/errors.js";
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
import { editFormOf, editTarget } from "./expense-edit.js";
import { newExpenseTarget, showExpenseForm } from "./expense-form.js";
import { formPeople } from "./expense-people.js";
import { submitExpenseForm } from "./expense-submit.js";
import { detailOf, expenseDetail } from "./expense-views.js";
import { redirectWithFlash } from "./flash.js";
import { formOf, idOf, one } from "./forms.js";
import { IdPath, OptionalIdQuery, pageQuery } from "./page-schemas.js";
import { render } from "./views.js";

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
      return showExpenseForm(ctx, request, reply, await editFormOf(ctx, e, me));
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
