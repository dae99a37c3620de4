import { z } from "zod";
import {
  Amount,
  CurrencyAmountOut,
  CurrencyCode,
  CursorQuery,
  Id,
  IdText,
  limitQuery,
  Text,
} from "./common.js";
import { ConversionBody, ConvertToQuery } from "./conversion.js";

/** A currency code as input: three capital letters Intl knows (422 names the problem). */
const GroupCurrency = z.string().max(3);

export const NewGroupBody = z
  .strictObject({
    name: Text(100),
    members: z
      .array(Id)
      .max(1000)
      .optional()
      .describe("User ids of people you know (friends, people you invited or share with)"),
    simplify_debts: z.boolean().optional().describe("Show balances as fewest transfers (default)"),
    currency: GroupCurrency.optional().describe(
      "ISO 4217 code: the default of its expenses and settlements, and what an expense entered with an exchange_rate is booked in. Default: APP_CURRENCY",
    ),
  })
  .meta({ id: "NewGroup" });

export const GroupChangesBody = z
  .strictObject({
    name: Text(100).optional(),
    simplify_debts: z.boolean().optional(),
    currency: GroupCurrency.optional().describe(
      "Only while nothing has been recorded in the group (no expense or settlement, deleted ones included): 409 otherwise",
    ),
  })
  .meta({ id: "GroupChanges" });

export const NewMemberBody = z
  .strictObject({ userid: Id.describe("Someone you know") })
  .meta({ id: "NewGroupMember" });

const GroupFields = {
  groupid: Id,
  name: z.string(),
  currency: CurrencyCode.describe(
    "The group's currency: the default of its expenses and settlements, and what an expense entered with an exchange_rate is booked in",
  ),
  simplify_debts: z.boolean(),
  archived: z.boolean().describe("Archived groups are read-only"),
  members: z.array(z.object({ userid: Id, name: z.string() })).describe("Current members"),
  created_by: Id,
  created_at: z.string(),
};

export const Group = z.object(GroupFields).meta({ id: "Group" });

export const GroupListItem = z
  .object({
    ...GroupFields,
    net: Amount.describe("Your net in the group in its currency: owed to you minus owed by you"),
    nets: z
      .array(CurrencyAmountOut)
      .describe("Your net in the group in every currency where it is not zero"),
  })
  .meta({ id: "GroupListItem" });

export const GroupListQuery = z.object({ cursor: CursorQuery, limit: limitQuery(50, 200) });
export const GroupList = z.object({
  items: z.array(GroupListItem),
  next_cursor: z.string().nullable(),
});

export const GroupBalancesQuery = z.object({
  simplify: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true"))
    .describe("Fewest transfers (true) or pairwise balances (false); default: the group's flag"),
  ...ConvertToQuery.shape,
});

export const GroupBalances = z
  .object({
    groupid: Id,
    simplified: z.boolean(),
    balances: z
      .array(z.object({ from_user: Id, to_user: Id, amount: Amount, currency: CurrencyCode }))
      .describe(
        "Every non-zero debt in the group, per currency: from_user owes to_user (simplified: per currency too)",
      ),
    members: z
      .array(
        z.object({
          userid: Id,
          net: Amount,
          nets: z.array(CurrencyAmountOut),
          converted_net: Amount.optional().describe(
            "Only with ?convert_to: nets converted into converted.currency and added up, rounded half up once (rounded per member: they may not sum to zero)",
          ),
        }),
      )
      .describe(
        "Every current member's net (owed to them minus owed by them) in the group's currency, and in every currency where it is not zero; in each currency they sum to zero",
      ),
    converted: ConversionBody.optional().describe(
      "Only with ?convert_to: the currency of every converted_net and the date of the oldest rate used",
    ),
  })
  .meta({ id: "GroupBalances" });

export const GroupMemberParams = z.object({ groupid: IdText, userid: IdText });
