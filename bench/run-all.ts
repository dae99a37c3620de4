// `npm run bench`: every benchmark under bench/, one after the other.
await import("./simplify.bench.js");
