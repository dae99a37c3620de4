import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../services/context.js";
import {
  createExpense,
  deleteExpenseById,
  getExpense,
  listUserExpenses,
  replaceExpenseById,
} from "../../services/expenses.js";
import { actorId } from "../actor.js";
import { toPage } from "../pagination.js";
import { presentExpense } from "../presenters.js";
import { decodeCursor, idParam, problemResponses } from "../schemas/common.js";
import { Expense, ExpenseBody, ExpenseList, ExpenseListQuery } from "../schemas/expenses.js";

const { 400: bad, 403: forbidden, 404: notFound, 413: tooLarge, 422: rule } = problemResponses;
const ExpenseCursor = z.object({ date: z.iso.date(), id: z.number().int().positive() });

export const expenseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/expenses",
      {
        schema: {
          tags: ["expenses"],
          summary: "Create an expense and split it among participants",
          body: ExpenseBody,
          response: { 201: Expense, 400: bad, 403: forbidden, 413: tooLarge, 422: rule },
        },
      },
      async (req, reply) => {
        const expense = await createExpense(ctx, req.body, actorId(req));
        return reply.code(201).send(presentExpense(expense));
      },
    );

    app.get(
      "/expenses/:expenseid",
      {
        schema: {
          tags: ["expenses"],
          summary: "Get an expense with every participant's share",
          params: idParam("expenseid"),
          response: { 200: Expense, 400: bad, 404: notFound },
        },
      },
      async (req) => presentExpense(await getExpense(ctx, req.params.expenseid, actorId(req))),
    );

    app.put(
      "/expenses/:expenseid",
      {
        schema: {
          tags: ["expenses"],
          summary: "Replace an expense (balances move as if the old one never existed)",
          params: idParam("expenseid"),
          body: ExpenseBody,
          response: {
            200: Expense,
            400: bad,
            403: forbidden,
            404: notFound,
            413: tooLarge,
            422: rule,
          },
        },
      },
      async (req) =>
        presentExpense(await replaceExpenseById(ctx, req.params.expenseid, req.body, actorId(req))),
    );

    app.delete(
      "/expenses/:expenseid",
      {
        schema: {
          tags: ["expenses"],
          summary: "Delete an expense (kept in the ledger as deleted; balances reversed)",
          params: idParam("expenseid"),
          response: { 204: z.undefined(), 400: bad, 403: forbidden, 404: notFound },
        },
      },
      async (req, reply) => {
        await deleteExpenseById(ctx, req.params.expenseid, actorId(req));
        return reply.code(204).send();
      },
    );

    app.get(
      "/users/:userid/expenses",
      {
        schema: {
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
