import type { ExpenseRecord } from "../../db/repos/expenses.js";

/** The add/edit form's optional text fields: the category and the notes. */

/**
 * The Category box's suggestions (a <datalist>): Splitwise's common categories, so imported ones
 * and typed ones read alike. Any other text of one line is fine too.
 */
export const CATEGORY_SUGGESTIONS = [
  "General",
  "Food and drink",
  "Groceries",
  "Dining out",
  "Transportation",
  "Taxi",
  "Hotel",
  "Travel",
  "Rent",
  "Household supplies",
  "Utilities",
  "Entertainment",
  "Gifts",
  "Medical expenses",
] as const;

/** A stored expense's category and notes as the edit form shows them ("" for none). */
export const textValuesOf = (e: Pick<ExpenseRecord, "category" | "notes">) => ({
  category: e.category ?? "",
  notes: e.notes ?? "",
});
