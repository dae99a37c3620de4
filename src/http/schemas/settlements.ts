import { z } from "zod";
import { MAX_NOTES } from "../../domain/expense.js";
import { Amount, CursorQuery, DecimalInput, Id, limitQuery, MultiLine } from "./common.js";

export const SettlementBody = z
  .strictObject({
    from_user: Id.describe("Who paid"),
    to_user: Id.describe("Who received the payment"),
    amount: DecimalInput,
    currency: z
      .string()
      .max(3)
      .optional()
      .describe(
        "ISO 4217 code; the amount has at most its minor digits. Default: the group's currency in a group, else APP_CURRENCY",
      ),
    group_id: Id.nullable()
      .optional()
      .describe(
        "The group it settles within (both users members); absent or null: between friends",
      ),
    note: MultiLine(MAX_NOTES)
      .nullable()
      .optional()
      .describe(
        `Optional free text ("cash at the airport") of at most ${MAX_NOTES} characters, checked like an expense's notes: line breaks are kept (CR LF as LF), other control characters are refused; trimmed, empty or null for none`,
      ),
  })
  .meta({ id: "NewSettlement" });

export const Settlement = z
  .object({
    settlementid: Id,
    from_user: Id,
    to_user: Id,
    amount: Amount,
    currency: z.string(),
    created_by: Id.nullable(),
    created_at: z.string(),
    group_id: Id.nullable().describe("The group it settles within; null between friends"),
    note: z.string().nullable().describe("As entered (line feeds kept); null for none"),
  })
  .meta({ id: "Settlement" });

export const SettlementListQuery = z.object({ cursor: CursorQuery, limit: limitQuery(50, 200) });
export const SettlementList = z.object({
  items: z.array(Settlement),
  next_cursor: z.string().nullable(),
});
