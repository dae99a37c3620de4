import { z } from "zod";
import { describeCurrency, parseAmount } from "../../domain/currency.js";
import { RuleViolation } from "../../domain/errors.js";
import { type ExpenseInput, toExpenseContent } from "../../services/expenses.js";

type Shape = z.ZodRawShape;

/**
 * Every problem of an expense body in one response: when the schema already refuses some fields
 * (a 400), the business rules still run on the fields that are well-formed, and their messages
 * join the list (an empty description AND an amount with 3 decimals AND a repeated participant).
 * A body the schema accepts gets its rule check from the service as before (a 422).
 * Money is judged in the body's currency, else `appCurrency` outside a group; in a group without
 * a currency (its own is not known here) and for an exchange rate, the service's 422 judges it.
 */
export function withRuleIssues<S extends z.ZodObject<Shape>>(schema: S, appCurrency = "INR") {
  return schema.superRefine(
    (raw, ctx) => {
      const body = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
      const bad = new Set(
        Object.keys(schema.shape).filter(
          (k) => !z.safeParse(schema.shape[k] as z.ZodType, body[k]).success,
        ),
      );
      if (bad.has("split_type"))
        for (const k of ["split_values", "items", "tax", "tip"]) bad.add(k);
      // A malformed payer leaves who paid unknown: its rules are not judged (nor "give one").
      const payerBad = bad.has("paid_by") || bad.has("payers");
      if (payerBad) for (const k of ["paid_by", "payers"]) bad.add(k);
      const field = <T>(k: string, fallback: T): T => (bad.has(k) ? fallback : (body[k] as T));
      const input: ExpenseInput = {
        paid_by: payerBad ? 1 : field("paid_by", undefined),
        payers: payerBad ? undefined : field("payers", undefined),
        description: field("description", "x"),
        category: field("category", undefined),
        notes: field("notes", undefined),
        amount: field("amount", ""),
        split_type: field("split_type", "EQUAL"),
        participants: field("participants", []),
        split_values: field("split_values", undefined),
        items: field("items", undefined),
        tax: field("tax", undefined),
        tip: field("tip", undefined),
        date: field("date", undefined),
        currency: field("currency", undefined),
        group_id: field("group_id", undefined),
      };
      const unknownCurrency = input.group_id != null && input.currency === undefined;
      try {
        toExpenseContent(input, "2000-01-01", { currency: appCurrency, groupCurrency: null });
      } catch (err) {
        if (!(err instanceof RuleViolation)) throw err;
        for (const issue of err.issues) {
          const root = /^[^[.]+/.exec(issue.field)?.[0] ?? issue.field;
          if (bad.has(root) || (unknownCurrency && MONEY_FIELDS.has(root))) continue;
          ctx.addIssue({ code: "custom", message: issue.message, ...pathOf(issue.field) });
        }
      }
    },
    // Only alongside the schema's own issues: alone, the rules are the service's 422.
    { when: (payload) => payload.issues.length > 0 },
  );
}

/** Fields holding money, whose digits depend on the currency. */
const MONEY_FIELDS = new Set(["amount", "payers", "split_values", "items", "tax", "tip"]);

/** `split_values[2]` → ["split_values", 2]: the same field names the schema's issues use. */
function pathOf(field: string): { path: (string | number)[] } {
  return {
    path: [...field.matchAll(/([^[.\]]+)|\[(\d+)\]/g)].map((m) =>
      m[2] !== undefined ? Number(m[2]) : (m[1] as string),
    ),
  };
}

/**
 * The same for a settlement body: a malformed amount is listed beside a bad id (400) instead of
 * only after the ids are fixed (in its currency, else `appCurrency` outside a group; in a group
 * without a currency the service's 422 judges it).
 */
export function withAmountIssue<S extends z.ZodObject<Shape>>(schema: S, appCurrency = "INR") {
  return schema.superRefine(
    (raw, ctx) => {
      const body = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
      const amount = body.amount;
      if (typeof amount !== "string" && typeof amount !== "number") return;
      const given = typeof body.currency === "string" ? body.currency : undefined;
      if (given === undefined && body.group_id != null) return;
      const currency = given ?? appCurrency;
      if (describeCurrency(currency) !== null) return;
      const r = parseAmount(amount, currency);
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["amount"], message: r.message });
      else if (r.value <= 0)
        ctx.addIssue({ code: "custom", path: ["amount"], message: "must be greater than 0" });
    },
    { when: (payload) => payload.issues.length > 0 },
  );
}
