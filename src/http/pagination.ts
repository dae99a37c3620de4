import { encodeCursor } from "./schemas/common.js";

/**
 * Routes fetch `limit + 1` rows: the extra row only tells that another page exists, and the
 * cursor points after the last row shown.
 */
export function toPage<T, R>(
  rows: T[],
  limit: number,
  present: (row: T) => R,
  cursorOf: (row: T) => unknown,
): { items: R[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(present),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
