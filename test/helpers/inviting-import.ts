/** Import files whose people are to be invited (test support for the invitation limits). */

/** A Splitwise file of one dinner that `names[0]` paid, ₹10.00 a head. */
export function dinnerFile(names: string[]): string {
  const cells = names.map((_, i) => (i === 0 ? (10 * (names.length - 1)).toFixed(2) : "-10.00"));
  return [
    `Date,Description,Category,Cost,Currency,${names.join(",")}`,
    `2024-01-01,Dinner,,${(10 * names.length).toFixed(2)},INR,${cells.join(",")}`,
    "",
    `2024-01-01,Total balance,,,INR,${cells.join(",")}`,
    "",
  ].join("\n");
}

/** POST /groups/import's body: "Me" is `me`, then `n` new people `<tag>1…` invited by email. */
export function invitingFile(me: number, n: number, tag: string) {
  const names = ["Me", ...Array.from({ length: n }, (_, i) => `${tag}${i + 1}`)];
  return {
    format: "splitwise-csv",
    data: dinnerFile(names),
    allow_duplicate: true,
    members: Object.fromEntries(
      names.map((name) => [
        name,
        name === "Me" ? me : { name, email: `${name.toLowerCase()}@example.test` },
      ]),
    ) as Record<string, number | { name: string; email: string }>,
  };
}
