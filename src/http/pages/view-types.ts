/** View types shared by views.ts and the group views (kept apart so neither imports the other). */

/** A field's message next to it: keys are form field names (`amount`, `value_7`, `row_7`). */
export type FieldErrors = Record<string, string>;

export interface ExpenseListItem {
  id: number;
  description: string;
  /** Its category ("Groceries"), shown beside the date; null or absent for none. */
  category?: string | null;
  date: string;
  amountText: string;
  payerName: string;
  /** What this expense means for the viewer, e.g. "you lent ₹50.00". */
  yourPart: string;
  /** Its colour, always next to the words: "lent" (green), "borrowed" (red), "none". */
  partTone: "lent" | "borrowed" | "none";
}

/** An item row of the expense form ("By item") as the template shows it. */
export interface ItemRowView {
  index: number;
  description: string;
  amount: string;
  people: number[];
  /** The item's people in their stored order ("3,1,2"), "" for a new row. */
  order: string;
}
