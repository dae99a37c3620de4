import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";

/**
 * An independent recomputation of every pairwise balance in plain SQL (single-payer ledger), per
 * currency, to cross-check the stored balances without going through the domain code that wrote
 * them. Keys: "a:b" for INR (as before currencies), "a:b:CUR" for any other currency.
 */
export async function sqlRecomputedPairs(db: Database): Promise<Map<string, number>> {
  const r = (await db.execute(sql`
    with movements as (
      select s.user_id as debtor, p.user_id as creditor, e.currency, s.amount_paise as amount
      from expense_shares s
      join expense_payers p on p.expense_id = s.expense_id
      join expenses e on e.id = s.expense_id
      where e.deleted_at is null and s.user_id <> p.user_id
      union all
      -- paying reduces what from_user owes to_user: the creditor owes the debtor that much back
      select to_user, from_user, currency, amount_paise from settlements where deleted_at is null
    )
    select least(debtor, creditor) as a, greatest(debtor, creditor) as b, currency,
           sum(case when debtor < creditor then amount else -amount end)::bigint as a_owes_b
    from movements group by 1, 2, 3 having sum(case when debtor < creditor then amount else -amount end) <> 0`)) as unknown as {
    rows: { a: number; b: number; currency: string; a_owes_b: number | string }[];
  };
  return new Map(r.rows.map((x) => [pairKey(x.a, x.b, x.currency), Number(x.a_owes_b)]));
}

const pairKey = (a: number, b: number, currency: string) =>
  currency === "INR" ? `${a}:${b}` : `${a}:${b}:${currency}`;

export async function storedPairs(db: Database): Promise<Map<string, number>> {
  const r = (await db.execute(
    sql`select user_a, user_b, currency, a_owes_b_paise from pair_balances where a_owes_b_paise <> 0`,
  )) as unknown as {
    rows: { user_a: number; user_b: number; currency: string; a_owes_b_paise: number | string }[];
  };
  return new Map(
    r.rows.map((x) => [pairKey(x.user_a, x.user_b, x.currency), Number(x.a_owes_b_paise)]),
  );
}
