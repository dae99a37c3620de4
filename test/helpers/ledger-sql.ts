import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";

/**
 * An independent recomputation of every pairwise balance in plain SQL, to cross-check the stored
 * balances without going through the domain code that wrote them.
 *
 * One payer: everyone else owes the payer their share. Several payers (README "Several payers"):
 * the shares, in their stored order, are allocated one after another over what each payer (by
 * user id) has not been allotted yet, each by the largest remainder with ties to the earlier
 * payer; the recursive CTE carries the payers' remaining amounts from one share to the next.
 * With one payer that allocation gives the payer the whole share, so one query serves both.
 * numeric, not bigint: share × paid goes beyond bigint for amounts near the limit.
 * Per currency (an expense's shares and payers are in its currency): keys "a:b" for INR (as
 * before currencies), "a:b:CUR" for any other currency.
 */
export async function sqlRecomputedPairs(db: Database): Promise<Map<string, number>> {
  const r = (await db.execute(sql`
    with recursive
    payer_lists as (
      select p.expense_id, array_agg(p.user_id order by p.user_id) as ids,
             array_agg(p.amount_paise::numeric order by p.user_id) as paid
      from expense_payers p join expenses e on e.id = p.expense_id
      where e.deleted_at is null
      group by p.expense_id
    ),
    share_steps as (
      select expense_id, user_id, amount_paise::numeric as amount,
             row_number() over (partition by expense_id order by position) as k
      from expense_shares where amount_paise > 0
    ),
    allocation as (
      select expense_id, 0::bigint as k, null::integer as debtor, null::numeric[] as parts,
             paid as remaining
      from payer_lists
      union all
      select a.expense_id, s.k, s.user_id, x.parts, x.remaining
      from allocation a
      join share_steps s on s.expense_id = a.expense_id and s.k = a.k + 1
      cross join lateral (
        -- this share over the remaining amounts: floor parts, then the leftover paise one each
        -- to the largest remainders (ties to the earlier payer)
        select array_agg(part order by j) as parts, array_agg(w - part order by j) as remaining
        from (
          select j, w, base + case when rank <= s.amount - sum(base) over () then 1 else 0 end as part
          from (
            select j, w, base, row_number() over (order by rem desc, j) as rank
            from (
              select j, w, floor(s.amount * w / sum(w) over ()) as base,
                     mod(s.amount * w, sum(w) over ()) as rem
              from unnest(a.remaining) with ordinality as u(w, j)
            ) floors
          ) ranked
        ) parts
      ) x
    ),
    movements as (
      select a.debtor, pl.ids[j] as creditor, e.currency, a.parts[j] as amount
      from allocation a
      join payer_lists pl on pl.expense_id = a.expense_id
      join expenses e on e.id = a.expense_id
      cross join lateral generate_subscripts(a.parts, 1) as j
      where a.k > 0 and a.debtor <> pl.ids[j]
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
