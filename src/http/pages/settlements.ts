import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { parseAmountText } from "../../domain/amount-text.js";
import { describeCurrency, formatMinor } from "../../domain/currency.js";
import { type FieldIssue, RuleViolation } from "../../domain/errors.js";
import { changeableSettlements } from "../../services/activity-feed.js";
import { getBalances } from "../../services/balances.js";
import type { AppContext } from "../../services/context.js";
import { namesByIds, peopleOf } from "../../services/people.js";
import {
  checkSettlement,
  listUserSettlements,
  recordSettlement,
} from "../../services/settlements.js";
import { requireActor } from "../actor.js";
import { CursorQuery, decodeCursor, encodeCursor, Id } from "../schemas/common.js";
import { SettlementBody } from "../schemas/settlements.js";
import { currencyOfForm, currencyOptions } from "./currency-choice.js";
import { formFailure } from "./error-pages.js";
import { redirectWithFlash } from "./flash.js";
import { formatAmount, formatTimestamp } from "./format.js";
import { fieldIssues, formOf, idOf, one, placeIssues } from "./forms.js";
import { groupSettle } from "./group-settle.js";
import { OptionalCurrencyQuery, OptionalIdQuery, pageQuery } from "./page-schemas.js";
import { overpayWarning } from "./settle-warning.js";
import { render, type SettleView } from "./views.js";

const PAGE_SIZE = 50;

const money = (e: { amount: number; currency: string }) => formatAmount(e.amount, e.currency);

export const settlementPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  /**
   * Everyone you know, each with a hint of the current balance, then the people your simplified
   * plan asks you to pay or collect from (by name only: the one exception for strangers).
   */
  const settlePeople = async (me: number) => {
    const [known, b, plan] = await Promise.all([
      peopleOf(ctx, me),
      getBalances(ctx, me, { simplify: false }, me),
      getBalances(ctx, me, { simplify: true }, me),
    ]);
    const listed = new Set(known.map((p) => p.id));
    const onPlan = [...plan.owes, ...plan.owedBy]
      .filter((x) => !listed.has(x.userId))
      .map((x) => ({ id: x.userId, name: plan.names.get(x.userId) ?? `User ${x.userId}` }));
    // One hint per currency with a balance ("you owe ₹500.00, owes you $20.00").
    const hintOf = (x: typeof b, id: number, owe: string, owed: string) =>
      [
        ...x.owes.filter((e) => e.userId === id).map((e) => `${owe} ${money(e)}`),
        ...x.owedBy.filter((e) => e.userId === id).map((e) => `${owed} ${money(e)}`),
      ].join(", ");
    const strangers = onPlan.map((p) => ({
      id: p.id,
      name: p.name,
      hint: `your plan: ${hintOf(plan, p.id, "pay", "collect")}`,
    }));
    return [
      ...known.map((p) => ({
        id: p.id,
        name: p.name,
        hint: hintOf(b, p.id, "you owe", "owes you") || "settled up",
      })),
      ...strangers,
    ];
  };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: SettleView["values"],
    status = 200,
    issues: { field: string; message: string }[] = [],
    confirmation: { warning: string; confirm: string } | null = null,
    groupId: number | null = null,
  ) => {
    const me = requireActor(request).userId;
    const inGroup = groupId === null ? null : await groupSettle(ctx, groupId, me);
    const keyOf = (f: string) =>
      f === "amount" || f === "currency" || f === "note"
        ? f
        : f === "from_user" || f === "to_user"
          ? "other"
          : null;
    const labels: Record<string, string> = {
      amount: "Amount",
      other: "With",
      currency: "Currency",
      note: "Note",
    };
    const { errors, summary } = placeIssues(issues, keyOf, (k) => labels[k] ?? k);
    return render(
      request,
      reply,
      ctx,
      "settle",
      {
        title: inGroup ? `Settle up in ${inGroup.group.name}` : "Settle up",
        nav: inGroup ? "groups" : "settle",
        values,
        group: inGroup ? { id: inGroup.group.id, name: inGroup.group.name } : null,
        people: inGroup ? inGroup.people : await settlePeople(me),
        currencies: currencyOptions(),
        errors,
        summary,
        warning: confirmation?.warning ?? null,
        confirm: confirmation?.confirm ?? null,
      },
      status,
    );
  };

  // `?with=<id>` prefills the person, the direction and the whole balance (dashboard buttons,
  // `&currency=` saying which currency's); with `&group=<id>` (the group page's buttons), the
  // group's transfer in that currency (else the group's), recorded in the group.
  app.get(
    "/settle",
    {
      schema: {
        querystring: pageQuery({
          with: OptionalIdQuery,
          group: OptionalIdQuery,
          currency: OptionalCurrencyQuery,
        }),
      },
    },
    async (request, reply) => {
      const me = requireActor(request).userId;
      const other = request.query.with;
      const wanted = request.query.currency;
      const groupId = request.query.group ?? null;
      const values: SettleView["values"] = {
        direction: "paid",
        other: "",
        amount: "",
        currency: ctx.config.APP_CURRENCY,
        note: "",
      };
      if (groupId !== null) {
        const g = await groupSettle(ctx, groupId, me);
        values.currency = wanted ?? g.group.currency;
        if (other !== undefined && g.people.some((p) => p.id === other)) {
          const owe = g.owedTo(other, values.currency);
          values.other = String(other);
          values.direction = owe < 0 ? "received" : "paid";
          if (owe !== 0) values.amount = formatMinor(Math.abs(owe), values.currency);
        }
        return show(request, reply, values, 200, [], null, groupId);
      }
      if (other !== undefined) {
        const plain = await getBalances(ctx, me, { simplify: false }, me);
        const isIn = (x: { owes: { userId: number }[]; owedBy: { userId: number }[] }) =>
          [...x.owes, ...x.owedBy].some((y) => y.userId === other);
        // Someone only your simplified plan names (a stranger): prefill the plan's transfer.
        const b = isIn(plain) ? plain : await getBalances(ctx, me, { simplify: true }, me);
        // That currency's balance, else the first with a balance between you, prefilled whole.
        const between = (x: { userId: number; currency: string }) =>
          x.userId === other && (wanted === undefined || x.currency === wanted);
        const owe = b.owes.find(between);
        const owed = b.owedBy.find(between);
        values.other = String(other);
        if (wanted !== undefined) values.currency = wanted;
        const entry = owed ?? owe;
        if (entry) {
          if (owed) values.direction = "received";
          values.currency = entry.currency;
          values.amount = formatMinor(entry.amount, entry.currency);
        }
      }
      return show(request, reply, values);
    },
  );

  app.post("/settle", async (request, reply) => {
    const me = requireActor(request).userId;
    const form = formOf(request.body);
    const values: SettleView["values"] = {
      direction: one(form, "direction") === "received" ? "received" : "paid",
      other: one(form, "other"),
      amount: one(form, "amount").trim(),
      currency: currencyOfForm(one(form, "currency")),
      note: one(form, "note"),
    };
    // Recorded inside a group when the form came from a group page (hidden group_id).
    const groupText = one(form, "group_id");
    const groupId = groupText === "" ? null : idOf(groupText);
    if (Number.isNaN(groupId))
      return show(request, reply, values, 422, [
        { field: "", message: "the group is not one of yours" },
      ]);
    // Every problem at once; the amount as people write it ("₹1,500", "1,00,000.50").
    const other = idOf(values.other);
    const issues: FieldIssue[] = [];
    if (Number.isNaN(other) || other === me)
      issues.push({ field: "to_user", message: "choose who you settled with" });
    if (!values.currency) {
      const g = groupId === null ? null : await groupSettle(ctx, groupId, me);
      values.currency = g ? g.group.currency : ctx.config.APP_CURRENCY;
    }
    const currencyProblem = describeCurrency(values.currency);
    if (currencyProblem) issues.push({ field: "currency", message: currencyProblem });
    const currency = currencyProblem ? "INR" : values.currency;
    const amount = parseAmountText(values.amount, currency);
    if (!amount.ok) issues.push({ field: "amount", message: amount.message });
    else if (amount.value <= 0) issues.push({ field: "amount", message: "must be greater than 0" });
    // The note is checked as the API checks it, with the same messages.
    const note = SettlementBody.shape.note.safeParse(values.note);
    if (!note.success) issues.push(...fieldIssues(note.error, "note"));
    if (issues.length > 0 || !amount.ok || !note.success)
      return show(request, reply, values, 422, issues, null, groupId);
    const body = {
      from_user: values.direction === "paid" ? me : other,
      to_user: values.direction === "paid" ? other : me,
      amount: formatMinor(amount.value, currency),
      currency,
      group_id: groupId,
      note: note.data,
    };
    try {
      // Who it is with first: a person it cannot be recorded with (unknown, not a member) is
      // refused before any "record anyway?" (the service's answer, the same for any such id).
      await checkSettlement(ctx, body, me);
      // More than is owed: a confirmation step first (no JS), tied to this exact payment.
      const key = `${values.direction}:${other}:${amount.value}:${currency}`;
      if (one(form, "confirm") !== key) {
        const g = groupId === null ? null : await groupSettle(ctx, groupId, me);
        const inGroup = g
          ? { balance: g.owedTo(other, currency), name: g.nameOf(other) }
          : undefined;
        const warning = await overpayWarning(
          ctx,
          me,
          other,
          values.direction,
          amount.value,
          currency,
          inGroup,
        );
        if (warning)
          return show(request, reply, values, 200, [], { warning, confirm: key }, groupId);
      }
      await recordSettlement(ctx, body, me);
    } catch (err) {
      if (!(err instanceof RuleViolation)) throw err;
      const { status, issues } = formFailure(err, reply);
      return show(request, reply, values, status, issues, null, groupId);
    }
    const back = groupId === null ? "/app" : `/app/groups/${groupId}`;
    return redirectWithFlash(request, reply, back, "settled");
  });

  app.get(
    "/settlements",
    { schema: { querystring: pageQuery({ cursor: CursorQuery }) } },
    async (request, reply) => {
      const me = requireActor(request).userId;
      const beforeId = decodeCursor(request.query.cursor, Id);
      const rows = await listUserSettlements(ctx, me, { limit: PAGE_SIZE + 1, beforeId }, me);
      const page = rows.slice(0, PAGE_SIZE);
      const names = await namesByIds(
        ctx,
        page.flatMap((s) => [s.fromUser, s.toUser]),
      );
      const name = (id: number) => names.get(id) ?? `User ${id}`;
      const changeable = await changeableSettlements(ctx, page, me);
      const last = page.at(-1);
      return render(request, reply, ctx, "settlements", {
        title: "Settlements",
        nav: "settle",
        items: page.map((s) => ({
          id: s.id,
          canDelete: changeable.has(s.id),
          date: formatTimestamp(s.createdAt, ctx.config.APP_TIMEZONE),
          text:
            s.fromUser === me
              ? `You paid ${name(s.toUser)}`
              : s.toUser === me
                ? `${name(s.fromUser)} paid you`
                : `${name(s.fromUser)} paid ${name(s.toUser)}`,
          amountText: formatAmount(s.amount, s.currency),
          outgoing: s.fromUser === me,
          note: s.note,
        })),
        nextUrl:
          rows.length > PAGE_SIZE && last
            ? `/app/settlements?cursor=${encodeCursor(last.id)}`
            : null,
      });
    },
  );
};
