import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ExpenseRecord } from "../../db/repos/expenses.js";
import { DATE_RANGE_MESSAGE, todayIn } from "../../domain/dates.js";
import {
  type FieldIssue,
  NotFound,
  PreconditionFailed,
  RuleViolation,
} from "../../domain/errors.js";
import { formatPaise } from "../../domain/money.js";
import type { AppContext } from "../../services/context.js";
import {
  createExpense,
  deleteExpenseById,
  type ExpenseInput,
  getExpense,
  listUserExpenses,
  replaceExpenseById,
  type WriteCondition,
} from "../../services/expenses.js";
import { befriendByEmail, knownNames, namesByIds, peopleOf } from "../../services/people.js";
import { requireActor } from "../actor.js";
import { decodeCursor, encodeCursor } from "../schemas/common.js";
import { ExpenseBody, ExpenseCursor } from "../schemas/expenses.js";
import { EmailLookup } from "../schemas/users.js";
import { formatDate, formatInr, formatTimestamp } from "./format.js";
import {
  type FormBody,
  fieldIssues,
  formOf,
  idOf,
  many,
  one,
  placeIssues,
  zodIssues,
} from "./forms.js";
import { type ExpenseFormView, type FormPerson, render } from "./views.js";

const PAGE_SIZE = 20;
const SPLIT_TYPES = ["EQUAL", "EXACT", "PERCENTAGE"] as const;
type SplitTypeText = (typeof SPLIT_TYPES)[number];

function pathId(request: FastifyRequest): number {
  const id = idOf((request.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFound("expense", "?");
  return id;
}

/**
 * The people a form offers: you first, then everyone you know, then extras (`?with=`, re-posted
 * rows, an edited expense's people) — but only extras you know, e.g. a deactivated participant of
 * the expense being edited. Anyone else is dropped unnamed, so an id reveals nothing.
 */
async function formPeople(
  ctx: AppContext,
  me: number,
  extraIds: number[],
  checked: Set<number>,
  shareText: (id: number) => string,
): Promise<FormPerson[]> {
  const contacts = await peopleOf(ctx, me);
  const listed = new Set([me, ...contacts.map((c) => c.id)]);
  const extras = [...new Set(extraIds.filter((id) => Number.isSafeInteger(id) && !listed.has(id)))];
  const names = await knownNames(ctx, me, [me, ...extras]);
  const list = [
    { id: me, name: names.get(me) ?? "You" },
    ...contacts,
    ...extras.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id) ?? "" })),
  ];
  return list.map((p) => ({
    id: p.id,
    name: p.name,
    you: p.id === me,
    checked: checked.has(p.id),
    value: shareText(p.id),
  }));
}

/** API field (as the schema and services name it) → form field name. */
function keyOf(field: string, participants: number[]): string | null {
  const value = /^split_values\[(\d+)\]$/.exec(field);
  if (value) return `value_${participants[Number(value[1])]}`;
  const person = /^participants\[(\d+)\]$/.exec(field);
  if (person) return `row_${participants[Number(person[1])]}`;
  if (field === "participants" || field === "split_values") return "participants";
  if (["amount", "description", "date", "paid_by", "split_type", "email"].includes(field))
    return field;
  return null;
}

const LABELS: Record<string, string> = {
  amount: "Amount",
  description: "Description",
  date: "Date",
  paid_by: "Paid by",
  split_type: "Split",
  email: "Add by email",
  participants: "Split between",
};

/** Friendlier words for the schema's generic type messages; domain messages pass through. */
function wording(issue: FieldIssue): FieldIssue {
  if (issue.field === "paid_by" && /expected number/.test(issue.message))
    return { ...issue, message: "choose who paid" };
  if (issue.field === "date" && issue.message !== DATE_RANGE_MESSAGE)
    return { ...issue, message: "must be a date such as 2026-11-20" };
  if (issue.field === "split_type") return { ...issue, message: "choose how to split" };
  return issue;
}

interface Submitted {
  view: ExpenseFormView["values"];
  input: Record<string, unknown>;
  participants: number[];
  rows: number[];
  checked: Set<number>;
  shareText: (id: number) => string;
}

/** Form fields → the API's expense body (strings kept as typed: the services parse money). */
function readForm(form: FormBody): Submitted {
  const splitText = one(form, "split_type");
  const split_type = (SPLIT_TYPES as readonly string[]).includes(splitText)
    ? (splitText as SplitTypeText)
    : "EQUAL";
  const rows = many(form, "row").map(idOf);
  const checked = new Set(many(form, "participant").map(idOf));
  const participants = rows.filter((id) => checked.has(id));
  const shareText = (id: number) => one(form, `value_${id}`).trim();
  const date = one(form, "date").trim();
  const input: Record<string, unknown> = {
    paid_by: idOf(one(form, "paid_by")),
    amount: one(form, "amount").trim(),
    split_type: splitText,
    participants,
    description: one(form, "description"),
    ...(date ? { date } : {}),
    ...(split_type === "EQUAL" ? {} : { split_values: participants.map(shareText) }),
  };
  return {
    view: {
      description: one(form, "description"),
      amount: one(form, "amount"),
      date,
      paid_by: one(form, "paid_by"),
      split_type,
      email: one(form, "email").trim(),
    },
    input,
    participants,
    rows,
    checked,
    shareText,
  };
}

interface FormTarget {
  mode: "new" | "edit";
  action: string;
  expenseId: number | null;
  version: number | null;
}

export const expensePages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: FormTarget,
    values: ExpenseFormView["values"],
    people: FormPerson[],
    issues: FieldIssue[] = [],
    status = 200,
    notice: string | null = null,
  ) => {
    const names = new Map(people.map((p) => [p.id, p.name]));
    const participants = people.filter((p) => p.checked).map((p) => p.id);
    const label = (key: string) => {
      const m = /^(value|row)_(\d+)$/.exec(key);
      if (m) return `${m[1] === "value" ? "Share of " : ""}${names.get(Number(m[2])) ?? "someone"}`;
      return LABELS[key] ?? key;
    };
    const { errors, summary } = placeIssues(
      issues.map(wording),
      (f) => keyOf(f, participants),
      label,
    );
    return render(
      request,
      reply,
      ctx,
      "expense-form",
      {
        title: target.mode === "new" ? "Add expense" : "Edit expense",
        nav: target.mode === "new" ? "add" : "expenses",
        ...target,
        values,
        people,
        errors,
        summary,
        notice,
      },
      status,
    );
  };

  /** One POST handler for add and edit: validate with the API's schema, then the service. */
  const submit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: FormTarget,
    save: (input: ExpenseInput, me: number) => Promise<ExpenseRecord>,
  ) => {
    const me = requireActor(request).userId;
    const form = formOf(request.body);
    const s = readForm(form);
    const issues: FieldIssue[] = [];
    // "Add by email" (or Enter in that field): an exact address makes the person your friend (as
    // POST /friends does) and adds them as a ticked row; the form comes back unsaved, because a
    // new participant changes the split.
    let notice: string | null = null;
    let found: { id: number; name: string } | undefined;
    const typed = EmailLookup.safeParse(s.view.email);
    if (!typed.success) {
      issues.push(...fieldIssues(typed.error, "email"));
    } else if (s.view.email) {
      found = await befriendByEmail(ctx, me, typed.data);
      if (!found) issues.push({ field: "email", message: "no active user has this email" });
      else {
        s.rows.push(found.id);
        s.checked.add(found.id);
        s.view.email = "";
        notice = `Added ${found.name}. Check the split, then save.`;
      }
    } else if (one(form, "action") === "add_person") {
      issues.push({ field: "email", message: "enter the email of the person to add" });
    }
    const people = await formPeople(ctx, me, s.rows, s.checked, s.shareText);
    // A ticked row the form may not offer (someone you do not know): the API's message, no name.
    for (const id of new Set(s.rows))
      if (Number.isSafeInteger(id) && s.checked.has(id) && !people.some((p) => p.id === id))
        issues.push({
          field: "participants",
          message: `user ${id} is unknown: add them as a friend first`,
        });
    if (found || issues.length > 0)
      return showForm(request, reply, target, s.view, people, issues, found ? 200 : 422, notice);
    // Participants in the order the form shows them, so values line up with rows.
    const order = people.filter((p) => p.checked).map((p) => p.id);
    s.input.participants = order;
    if (s.input.split_values) s.input.split_values = order.map(s.shareText);
    const parsed = ExpenseBody.safeParse(s.input);
    if (!parsed.success) issues.push(...zodIssues(parsed.error));
    if (issues.length > 0 || !parsed.success)
      return showForm(request, reply, target, s.view, people, issues, 422);
    try {
      const saved = await save(parsed.data, me);
      const flash = target.mode === "new" ? "added" : "saved";
      return reply.redirect(`/app/expenses/${saved.id}?flash=${flash}`, 303);
    } catch (err) {
      if (err instanceof PreconditionFailed) {
        // The form now carries the current version: saving again replaces the other change.
        const message =
          "someone else changed this expense while you were editing; your values are kept below, save again to replace their change or open the expense to see it";
        return showForm(request, reply, target, s.view, people, [{ field: "", message }], 409);
      }
      if (!(err instanceof RuleViolation)) throw err;
      const found = err.issues.length ? err.issues : [{ field: "", message: err.message }];
      return showForm(request, reply, target, s.view, people, found, 422);
    }
  };

  /** The version the form was rendered with: edits and deletes apply only to that version. */
  const sameVersion = (request: FastifyRequest): WriteCondition => {
    const v = idOf(one(formOf(request.body), "version"));
    return Number.isNaN(v) ? {} : { ifMatch: (current) => current === v };
  };

  const newTarget: FormTarget = {
    mode: "new",
    action: "/app/expenses/new",
    expenseId: null,
    version: null,
  };

  app.get("/expenses/new", async (request, reply) => {
    const me = requireActor(request).userId;
    const withId = idOf(String((request.query as { with?: string }).with ?? ""));
    const checked = new Set([me, ...(Number.isNaN(withId) ? [] : [withId])]);
    const people = await formPeople(ctx, me, [...checked], checked, () => "");
    const values: ExpenseFormView["values"] = {
      description: "",
      amount: "",
      date: todayIn(ctx.config.APP_TIMEZONE),
      paid_by: String(me),
      split_type: "EQUAL",
      email: "",
    };
    return showForm(request, reply, newTarget, values, people);
  });

  app.post("/expenses/new", async (request, reply) =>
    submit(request, reply, newTarget, (input, me) => createExpense(ctx, input, me)),
  );

  app.get("/expenses", async (request, reply) => {
    const me = requireActor(request).userId;
    const q = request.query as { person?: string; cursor?: string };
    const personId = idOf(q.person ?? "");
    const person = Number.isNaN(personId) ? null : personId;
    const before = decodeCursor(q.cursor, ExpenseCursor);
    const rows = await listUserExpenses(
      ctx,
      me,
      { limit: PAGE_SIZE + 1, before, withUser: person ?? undefined },
      me,
    );
    const page = rows.slice(0, PAGE_SIZE);
    const names = await namesByIds(
      ctx,
      page.map((e) => e.payers[0]?.userId ?? 0),
    );
    const last = page.at(-1);
    const base = person ? `/app/expenses?person=${person}&` : "/app/expenses?";
    return render(request, reply, ctx, "expenses", {
      title: "Expenses",
      nav: "expenses",
      items: page.map((e) => {
        const payer = e.payers[0]?.userId ?? 0;
        const mine = e.shares.find((s) => s.userId === me)?.amount ?? 0;
        const yourPart =
          payer === me
            ? `you lent ${formatInr(e.amount - mine)}`
            : `you borrowed ${formatInr(mine)}`;
        return {
          id: e.id,
          description: e.description,
          date: formatDate(e.date),
          amountText: formatInr(e.amount),
          payerName: payer === me ? "You" : (names.get(payer) ?? `User ${payer}`),
          yourPart,
        };
      }),
      people: await peopleOf(ctx, me),
      person,
      nextUrl:
        rows.length > PAGE_SIZE && last
          ? `${base}cursor=${encodeCursor({ date: last.date, id: last.id })}`
          : null,
      firstUrl: q.cursor ? base.slice(0, -1) : null,
    });
  });

  const detail = async (request: FastifyRequest) => {
    const me = requireActor(request).userId;
    const e = await getExpense(ctx, pathId(request), me);
    const payer = e.payers[0]?.userId ?? 0;
    const ids = [payer, ...e.shares.map((s) => s.userId), e.createdBy ?? 0, e.updatedBy ?? 0];
    const names = await namesByIds(ctx, ids);
    const who = (id: number | null) =>
      id === null ? "someone" : id === me ? "you" : (names.get(id) ?? `User ${id}`);
    const tz = ctx.config.APP_TIMEZONE;
    const edited = e.version > 1 || e.updatedBy !== null;
    return {
      id: e.id,
      version: e.version,
      description: e.description,
      date: formatDate(e.date),
      amountText: formatInr(e.amount),
      splitType: e.splitType,
      payerName: payer === me ? "You" : who(payer),
      shares: e.shares.map((s) => ({
        name: s.userId === me ? "You" : who(s.userId),
        amountText: formatInr(s.amount),
        valueText:
          e.splitType === "PERCENTAGE"
            ? `${formatPaise(s.splitValue ?? 0)}%`
            : e.splitType === "EXACT"
              ? formatInr(s.splitValue ?? 0)
              : null,
      })),
      createdText: `Added by ${who(e.createdBy)} on ${formatTimestamp(e.createdAt, tz)}`,
      updatedText: edited
        ? `Last changed by ${who(e.updatedBy)} on ${formatTimestamp(e.updatedAt, tz)}`
        : null,
    };
  };

  app.get("/expenses/:id", async (request, reply) => {
    const d = await detail(request);
    return render(request, reply, ctx, "expense", { title: d.description, nav: "expenses", ...d });
  });

  app.get("/expenses/:id/delete", async (request, reply) => {
    const d = await detail(request);
    return render(request, reply, ctx, "expense-delete", {
      title: `Delete ${d.description}`,
      nav: "expenses",
      ...d,
    });
  });

  app.post("/expenses/:id/delete", async (request, reply) => {
    const me = requireActor(request).userId;
    try {
      await deleteExpenseById(ctx, pathId(request), me, sameVersion(request));
    } catch (err) {
      if (!(err instanceof PreconditionFailed)) throw err;
      const e = await detail(request);
      return render(
        request,
        reply,
        ctx,
        "expense-delete",
        { title: `Delete ${e.description}`, nav: "expenses", ...e, conflict: true },
        409,
      );
    }
    return reply.redirect("/app/expenses?flash=deleted", 303);
  });

  const editTarget = (e: ExpenseRecord): FormTarget => ({
    mode: "edit",
    action: `/app/expenses/${e.id}/edit`,
    expenseId: e.id,
    version: e.version,
  });

  app.get("/expenses/:id/edit", async (request, reply) => {
    const me = requireActor(request).userId;
    const e = await getExpense(ctx, pathId(request), me);
    const payer = e.payers[0]?.userId ?? me;
    const shares = new Map(e.shares.map((s) => [s.userId, s]));
    const people = await formPeople(
      ctx,
      me,
      [payer, ...shares.keys()],
      new Set(shares.keys()),
      (id) => {
        const v = shares.get(id)?.splitValue;
        return v === null || v === undefined ? "" : formatPaise(v);
      },
    );
    const values: ExpenseFormView["values"] = {
      description: e.description,
      amount: formatPaise(e.amount),
      date: e.date,
      paid_by: String(payer),
      split_type: e.splitType,
      email: "",
    };
    return showForm(request, reply, editTarget(e), values, people);
  });

  app.post("/expenses/:id/edit", async (request, reply) => {
    const e = await getExpense(ctx, pathId(request), requireActor(request).userId);
    return submit(request, reply, editTarget(e), (input, me) =>
      replaceExpenseById(ctx, e.id, input, me, sameVersion(request)),
    );
  });
};
