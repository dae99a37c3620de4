/** Mapping the file's member names to users: which names the importer still has to map. */
import type { InterchangeGroup } from "./model.js";

/** Names in the file without a user in `mapping` (in the file's order): the import's 422. */
export function unmappedMembers(g: InterchangeGroup, mapping: Record<string, unknown>): string[] {
  return g.members
    .map((m) => m.name)
    .filter((n) => !Object.hasOwn(mapping, n) || mapping[n] == null);
}

/** Names in `mapping` that the file does not have (likely typos), in the mapping's order. */
export function unknownMappedNames(
  g: InterchangeGroup,
  mapping: Record<string, unknown>,
): string[] {
  const names = new Set(g.members.map((m) => m.name));
  return Object.keys(mapping).filter((n) => !names.has(n));
}
