import type { FastifyReply, FastifyRequest } from "fastify";
import type { ExpenseRecord } from "../../db/repos/expenses.js";
import {
  type FieldIssue,
  Forbidden,
  NotFound,
  PreconditionFailed,
  RuleViolation,
} from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import { appDefaults, groupDefaults } from "../../services/expense-input.js";
import type { ExpenseInput } from "../../services/expenses.js";
import { getGroup } from "../../services/groups.js";
import { requireActor } from "../actor.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { formFailure } from "./error-pages.js";
import { expenseFormIssues, inFormOrder } from "./expense-checks.js";
import { type FormTarget, readExpenseForm, showExpenseForm } from "./expense-form.js";
import { addPersonFromForm, formPeople } from "./expense-people.js";
import { redirectWithFlash } from "./flash.js";
import { formOf, idOf, one } from "./forms.js";

// Saving the add and edit forms: every problem at once, or the service's answer.

/** The stale-form message: the form keeps the typed values and now carries the current version. */
const STALE_EDIT =
  "someone else changed this expense while you were editing; your values are kept below, save again to replace their change or open the expense to see it";

/** The service's defaults for the form's group (the group's currency), else APP_CURRENCY's. */
async function formDefaults(ctx: AppContext, me: number, groupId: number) {
  if (!Number.isNaN(groupId)) {
    try {
      return groupDefaults(await getGroup(ctx, groupId, me));
    } catch (err) {
      if (!(err instanceof NotFound)) throw err; // saving gives the real answer
    }
  }
  return appDefaults(ctx.config.APP_CURRENCY);
}

/** One POST handler for add and edit: validate with the API's schema, then the service. */
export async function submitExpenseForm(
  ctx: AppContext,
  limits: AuthRateLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  target: FormTarget,
  save: (input: ExpenseInput, me: number) => Promise<ExpenseRecord>,
  groupId: number | null,
) {
  const me = requireActor(request).userId;
  const form = formOf(request.body);
  const s = readExpenseForm(form);
  const defaults = await formDefaults(ctx, me, groupId ?? idOf(s.view.group_id ?? ""));
  const action = one(form, "action");
  const person = await addPersonFromForm(ctx, limits, request, reply, me, s, action);
  const itemPeople = s.items.flatMap((r) => r.people);
  const people = await formPeople(
    ctx,
    me,
    [...s.rows, ...itemPeople],
    s.checked,
    s.shareText,
    s.paidText,
    s.rows,
  );
  const again = (shown: FieldIssue[], status: number, note: string | null = null) =>
    showExpenseForm(ctx, request, reply, {
      target,
      values: s.view,
      people,
      items: s.items,
      moreItems: action === "more_items",
      issues: shown,
      status,
      notice: note,
    });
  if (person.added || person.notice) return again([], 200, person.notice);
  // "More item rows" (no JavaScript needed): the same form with more empty rows, unsaved.
  if (action === "more_items") return again([], 200);
  // Adding someone failed: only that field's message, the rest of the form is still being typed.
  if (action === "add_person" || action === "invite_person") return again(person.issues, 422);
  const issues = [...person.issues];
  // A ticked row the form may not offer (someone you do not know): the API's message, no name.
  for (const id of new Set(s.rows))
    if (Number.isSafeInteger(id) && s.checked.has(id) && !people.some((p) => p.id === id))
      issues.push({
        field: "participants",
        message: `user ${id} is unknown: add them as a friend first`,
      });
  // Participants in the order the form shows them, so values line up with rows; then every
  // problem of the form at once.
  const order = people.filter((p) => p.checked).map((p) => p.id);
  const checked = expenseFormIssues(
    s,
    order,
    people.map((p) => p.id),
    defaults,
  );
  issues.push(...checked.issues.filter((i) => !issues.some((j) => j.field === i.field)));
  if (issues.length > 0 || !checked.input) return again(inFormOrder(issues), 422);
  try {
    const saved = await save(checked.input, me);
    const flash = target.mode === "new" ? "added" : "saved";
    // Added from a group page: back to the group, where its balances now show it.
    const back =
      target.mode === "new" && saved.groupId !== null
        ? `/app/groups/${saved.groupId}`
        : `/app/expenses/${saved.id}`;
    return redirectWithFlash(request, reply, back, flash);
  } catch (err) {
    if (
      !(
        err instanceof PreconditionFailed ||
        err instanceof RuleViolation ||
        err instanceof Forbidden
      )
    )
      throw err;
    // Status from the shared table: a stale edit is 412 here as on the API, a refusal (e.g.
    // the rights changed since the form was opened) 403, with the typed values kept.
    const failed = formFailure(err, reply);
    const shown =
      err instanceof PreconditionFailed ? [{ field: "", message: STALE_EDIT }] : failed.issues;
    return again(shown, failed.status);
  }
}
