import { z } from "zod";
import { Amount, CurrencyAmountOut, CursorQuery, Id, limitQuery, Text } from "./common.js";

export const AddFriendBody = z
  .strictObject({
    email: z.email("must be a valid email address").max(254),
    name: Text(100).optional().meta({
      description:
        "Only for someone who has no account yet: they are invited (a mail with a one-time link to claim the account)",
    }),
  })
  .meta({ id: "NewFriend" });

export const Friend = z
  .object({ userid: Id, name: z.string(), email: z.string() })
  .meta({ id: "Friend" });

export const FriendListQuery = z.object({ cursor: CursorQuery, limit: limitQuery(50, 200) });

export const FriendList = z.object({
  items: z.array(
    Friend.extend({
      balance: Amount.describe(
        "What they owe you in APP_CURRENCY (negative: what you owe them), e.g. 33.34",
      ),
      balances: z
        .array(CurrencyAmountOut)
        .describe(
          "What they owe you in every currency where it is not zero (negative: what you owe them), by currency code",
        ),
    }),
  ),
  next_cursor: z.string().nullable(),
});
