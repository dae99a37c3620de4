import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ExpenseRecord } from "../../db/repos/expenses.js";
import type { AppContext } from "../../services/context.js";
import { getExpense, listUserExpenses } from "../../services/expense-reads.js";
import { createExpense, deleteExpenseById, replaceExpenseById } from "../../services/expenses.js";
import { actorId } from "../actor.js";
import { fingerprintRequest, IdempotencyHeaders, sendIdempotent } from "../idempotency.js";
import { toPage } from "../pagination.js";
import { IfMatchHeaders, ifMatchCheck, setEtag } from "../preconditions.js";
import { presentExpense } from "../presenters.js";
import { decodeCursor, idParam, problemResponses } from "../schemas/common.js";
import { withRuleIssues } from "../schemas/expense-checks.js";
import {
  Expense,
  ExpenseBody,
  ExpenseCursor,
  ExpenseList,
  ExpenseListQuery,
} from "../schemas/expenses.js";

const {
  400: bad,
  403: forbidden,
  404: notFound,
  412: stale,
  413: tooLarge,
  422: rule,
} = problemResponses;

export const expenseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/expenses",
      {
        schema: {
          operationId: "createExpense",
          tags: ["expenses"],
          summary: "Create an expense and split it among participants",
          description:
            "Send an `Idempotency-Key` to make retries safe: the same key and body return the original response (with `Idempotent-Replayed: true`) and create nothing; the same key with another body is 422.",
          headers: IdempotencyHeaders,
          body: withRuleIssues(ExpenseBody, ctx.config.APP_CURRENCY),
          response: {
            201: Expense,
            400: bad,
            403: forbidden,
            404: notFound,
            413: tooLarge,
            422: rule,
          },
        },
        preValidation: fingerprintRequest,
      },
      async (req, reply) =>
        sendIdempotent<ExpenseRecord>(ctx, req, reply, {
          status: 201,
          run: (hooks) => createExpense(ctx, req.body, actorId(req), hooks),
          present: (expense) => {
            setEtag(reply, expense.version);
            return presentExpense(expense);
          },
        }),
    );

    app.get(
      "/expenses/:expenseid",
      {
        schema: {
          operationId: "getExpense",
          tags: ["expenses"],
          summary: "Get an expense with every participant's share",
          params: idParam("expenseid"),
          description:
            'The `ETag` response header carries the expense\'s version (e.g. `"3"`); send it back as `If-Match` on PUT or DELETE.',
          response: { 200: Expense, 400: bad, 404: notFound },
        },
      },
      async (req, reply) => {
        const expense = await getExpense(ctx, req.params.expenseid, actorId(req));
        setEtag(reply, expense.version);
        return presentExpense(expense);
      },
    );

    app.put(
      "/expenses/:expenseid",
      {
        schema: {
          operationId: "updateExpense",
          tags: ["expenses"],
          summary: "Replace an expense (balances move as if the old one never existed)",
          description:
            'With `If-Match: "<version>"` (the ETag of GET) the edit applies only if nobody changed the expense since (412 otherwise); without it the last writer wins.',
          params: idParam("expenseid"),
          headers: IfMatchHeaders,
          body: withRuleIssues(ExpenseBody, ctx.config.APP_CURRENCY),
          response: {
            200: Expense,
            400: bad,
            403: forbidden,
            404: notFound,
            412: stale,
            413: tooLarge,
            422: rule,
          },
        },
      },
      async (req, reply) => {
        const expense = await replaceExpenseById(
          ctx,
          req.params.expenseid,
          req.body,
          actorId(req),
          { ifMatch: ifMatchCheck(req.headers["if-match"]) },
        );
        setEtag(reply, expense.version);
        return presentExpense(expense);
      },
    );

    app.delete(
      "/expenses/:expenseid",
      {
        schema: {
          operationId: "deleteExpense",
          tags: ["expenses"],
          summary: "Delete an expense (kept in the ledger as deleted; balances reversed)",
          description:
            'With `If-Match: "<version>"` the delete applies only if nobody changed the expense since (412 otherwise).',
          params: idParam("expenseid"),
          headers: IfMatchHeaders,
          response: { 204: z.undefined(), 400: bad, 403: forbidden, 404: notFound, 412: stale },
        },
      },
      async (req, reply) => {
        await deleteExpenseById(ctx, req.params.expenseid, actorId(req), {
          ifMatch: ifMatchCheck(req.headers["if-match"]),
        });
        return reply.code(204).send();
      },
    );

    app.get(
      "/users/:userid/expenses",
      {
        schema: {
          operationId: "listUserExpenses",
          tags: ["expenses"],
          summary: "Expenses the user paid for or shares in, newest first",
          params: idParam("userid"),
          querystring: ExpenseListQuery,
          response: { 200: ExpenseList, 400: bad, 404: notFound },
        },
      },
      async (req) => {
        const before = decodeCursor(req.query.cursor, ExpenseCursor);
        const rows = await listUserExpenses(
          ctx,
          req.params.userid,
          { limit: req.query.limit + 1, before },
          actorId(req),
        );
        return toPage(rows, req.query.limit, presentExpense, (e) => ({ date: e.date, id: e.id }));
      },
    );
  };
