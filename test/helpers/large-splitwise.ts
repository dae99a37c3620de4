/** A Splitwise CSV of `rows` expenses among three people, with its totals row (test and bench support). */
export function largeSplitwiseCsv(rows: number): { data: string; names: string[] } {
  const names = ["Asha", "Ravi", "Meera"];
  const lines = [`Date,Description,Category,Cost,Currency,${names.join(",")}`];
  const net = [0, 0, 0];
  const rupees = (paise: number) => (paise / 100).toFixed(2);
  for (let i = 0; i < rows; i++) {
    const payer = i % 3;
    const cost = 300 + (i % 97) * 3; // paise, divisible by 3: an equal split without remainders
    const cells = names.map((_, j) => (j === payer ? (cost * 2) / 3 : -cost / 3));
    cells.forEach((x, j) => {
      net[j] = (net[j] as number) + x;
    });
    const day = `2024-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    lines.push(`${day},Row ${i},,${rupees(cost)},INR,${cells.map(rupees).join(",")}`);
  }
  lines.push("", `2024-12-31,Total balance,,,INR,${net.map(rupees).join(",")}`);
  return { data: `${lines.join("\n")}\n`, names };
}
