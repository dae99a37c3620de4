import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  cycles,
  forbiddenImports,
  importsOf,
  layerOf,
  sourceFiles,
  specifiersOf,
  src,
  unitOf,
} from "./layers.js";

// The rule itself (layers, what each may import) is in ./layers.ts.

describe("dependencies point one way", () => {
  const files = sourceFiles();
  const { edges, packages } = importsOf(files, (f) => readFileSync(path.join(src, f), "utf8"));

  it("reads the imports of every source file", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
    for (const f of files) layerOf(f); // every file is placed in a layer
  });

  it("has no import against the layer order", () => {
    expect(forbiddenImports(edges)).toEqual([]);
  });

  it("has no import cycle between folders, nor between files", () => {
    const folders = edges.map((e) => ({ from: unitOf(e.from), to: unitOf(e.to) }));
    expect(cycles(folders)).toEqual([]);
    expect(cycles(edges)).toEqual([]);
  });

  it("keeps SQL in src/db/: nothing else imports drizzle-orm", () => {
    const outside = packages.filter(
      (p) => p.to.startsWith("drizzle-orm") && layerOf(p.from) !== "db",
    );
    expect(outside.map((p) => `src/${p.from} -> ${p.to}`)).toEqual([]);
  });

  it("keeps the domain free of I/O: it imports no Node module and only pure parsing packages", () => {
    // Text in, values out, no I/O: the file formats the domain reads and writes (import/export).
    const pure = ["csv-parse/sync", "csv-stringify/sync", "fast-xml-parser", "zod"];
    const io = packages.filter(
      (p) => layerOf(p.from) === "domain" && !p.from.endsWith(".test.ts") && !pure.includes(p.to),
    );
    expect(io.map((p) => `src/${p.from} -> ${p.to}`)).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    // The checks themselves, on imports the tree must never have.
    expect(
      forbiddenImports([
        { from: "db/repos/outbox.ts", to: "notifications/message.ts" },
        { from: "notifications/runtime.ts", to: "aws/sqs-publisher.ts" },
        { from: "services/users.ts", to: "http/actor.ts" },
        { from: "domain/money.ts", to: "db/client.ts" },
        { from: "http/routes/users.ts", to: "smtp/mailer.ts" },
        { from: "services/users.ts", to: "main.ts" },
      ]),
    ).toHaveLength(6);
    expect(
      cycles([
        { from: "db/", to: "notifications/" },
        { from: "notifications/", to: "db/" },
      ]),
    ).toEqual([["db/", "notifications/"]]);
    expect(specifiersOf('import type { A } from "./a.js";\nexport { b } from "../b.js";')).toEqual([
      "./a.js",
      "../b.js",
    ]);
    expect(specifiersOf('import {\n  c,\n  d,\n} from "./c.js";\nawait import("./e.js");')).toEqual(
      ["./c.js", "./e.js"],
    );
  });
});
