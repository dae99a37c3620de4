import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The one-way dependency rule of src/ (README, "Architecture"), checked on every import:
 * http -> services -> (notifications, db) -> domain; notifications -> db; the adapters (aws,
 * smtp) implement interfaces notifications owns; only the composition roots may import anything.
 */
export const src = fileURLToPath(new URL("../../src", import.meta.url));

type Layer =
  | "root"
  | "http"
  | "services"
  | "aws"
  | "smtp"
  | "notifications"
  | "db"
  | "auth"
  | "domain"
  | "lib"
  | "config";

/** What each layer may import besides itself (roots may import everything). */
const ALLOWED: Record<Exclude<Layer, "root">, Layer[]> = {
  http: ["services", "notifications", "db", "auth", "domain", "lib", "config"],
  services: ["notifications", "db", "auth", "domain", "lib", "config"],
  aws: ["notifications", "db", "domain", "lib", "config"],
  smtp: ["notifications", "db", "domain", "lib", "config"],
  notifications: ["db", "domain", "lib", "config"],
  db: ["domain", "lib", "config"],
  auth: ["lib", "config"],
  domain: [],
  lib: [],
  config: [],
};

/** Composition roots: entry points and the wiring they share. */
const ROOTS = ["main.ts", "app.ts", "worker.ts", "cli/", "lambda/", "compose/"];

export function layerOf(file: string): Layer {
  if (ROOTS.some((r) => file === r || (r.endsWith("/") && file.startsWith(r)))) return "root";
  if (file === "config.ts" || file.startsWith("config/")) return "config";
  const top = file.split("/")[0] as string;
  if (top in ALLOWED) return top as Layer;
  throw new Error(`src/${file} belongs to no layer: add it to test/architecture/layers.ts`);
}

/** The folder (or root-level file) a file counts in for the cycle check. */
export const unitOf = (file: string) => (file.includes("/") ? `${file.split("/")[0]}/` : file);

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every module specifier a source text imports or re-exports (static, side-effect, dynamic). */
export function specifiersOf(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

export interface Edge {
  from: string;
  to: string;
}

export function sourceFiles(): string[] {
  return readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/** file -> imported file (relative imports, resolved to src/ paths) and file -> package. */
export function importsOf(files: string[], read: (f: string) => string) {
  const edges: Edge[] = [];
  const packages: Edge[] = [];
  for (const from of files) {
    for (const spec of specifiersOf(read(from))) {
      if (!spec.startsWith(".")) {
        packages.push({ from, to: spec });
        continue;
      }
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      edges.push({ from, to: to.replace(/\.js$/, ".ts") });
    }
  }
  return { edges, packages };
}

/** Each forbidden import, as "src/a.ts (layer) -> src/b.ts (layer)". */
export function forbiddenImports(edges: Edge[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of edges) {
    if (to.startsWith("../")) continue; // outside src/ (e.g. package.json): not a layer
    const [a, b] = [layerOf(from), layerOf(to)];
    if (a === b || a === "root") continue;
    if (b === "root" || !ALLOWED[a].includes(b)) bad.push(`src/${from} (${a}) -> src/${to} (${b})`);
  }
  return bad;
}

/** Strongly connected components with more than one member (Tarjan). */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (from === to) continue;
    next.set(from, (next.get(from) ?? new Set()).add(to));
    if (!next.has(to)) next.set(to, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}
