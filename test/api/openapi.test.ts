import { createConfig, lintFromString } from "@redocly/openapi-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

it("serves an OpenAPI 3 document generated from the route schemas", async () => {
  const res = await t.call("GET", "/openapi.json");
  expect(res.status).toBe(200);
  const doc = res.body;
  expect(doc.openapi).toMatch(/^3\./);
  const expected: Record<string, string[]> = {
    "/users": ["get", "post"],
    "/users/{userid}": ["delete", "get"],
    "/users/{userid}/balances": ["get"],
    "/users/{userid}/expenses": ["get"],
    "/users/{userid}/settlements": ["get"],
    "/friends": ["get", "post"],
    "/friends/{userid}": ["delete"],
    "/expenses": ["post"],
    "/expenses/{expenseid}": ["delete", "get", "put"],
    "/settlements": ["post"],
    "/settlements/{settlementid}": ["delete", "get"],
    "/settlements/{settlementid}/restore": ["post"],
    "/expenses/{expenseid}/restore": ["post"],
    "/users/{userid}/activity": ["get"],
    "/groups/{groupid}/activity": ["get"],
  };
  for (const [path, methods] of Object.entries(expected)) {
    expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(methods);
  }
  // The request body schema is the one that validates: its required fields and enum are there.
  const ref: string =
    doc.paths["/expenses"].post.requestBody.content["application/json"].schema.$ref;
  const input = doc.components.schemas[ref.split("/").pop() as string];
  expect(input.required).toEqual(expect.arrayContaining(["amount", "split_type", "description"]));
  // Exactly one of paid_by and payers (checked by the rules, 422); participants optional for ITEMIZED.
  expect(input.required).not.toContain("paid_by");
  expect(Object.keys(input.properties)).toEqual(
    expect.arrayContaining(["paid_by", "payers", "items", "tax", "tip"]),
  );
  expect(input.additionalProperties).toBe(false);
  expect(JSON.stringify(input.properties.split_type)).toContain("PERCENTAGE");
  for (const t of ["SHARES", "ADJUSTMENT", "ITEMIZED"])
    expect(JSON.stringify(input.properties.split_type)).toContain(t);
  expect(doc.paths["/expenses"].post.responses["422"]).toBeDefined();
  // ?convert_to on both balance endpoints: the parameter, the converted fields, the 422.
  for (const path of ["/users/{userid}/balances", "/groups/{groupid}/balances"]) {
    const op = doc.paths[path].get;
    const param = op.parameters.find((p: { name: string }) => p.name === "convert_to");
    expect(param, path).toMatchObject({ in: "query", required: false });
    expect(param.schema.pattern).toBe("^[A-Z]{3}$");
    expect(op.responses["422"].content["application/json"].schema.$ref).toMatch(/Problem$/);
  }
  const schemas = doc.components.schemas;
  expect(schemas.Balances.properties.converted.$ref).toMatch(/ConvertedNet$/);
  expect(schemas.Balances.required).not.toContain("converted");
  expect(schemas.ConvertedNet.required).toEqual(["currency", "net", "rates_as_of"]);
  expect(schemas.GroupBalances.properties.converted.$ref).toMatch(/Conversion$/);
  expect(Object.keys(schemas.GroupBalances.properties.members.items.properties)).toContain(
    "converted_net",
  );
  // The API needs a bearer token, except to sign up: the document says so per operation.
  expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
    type: "http",
    scheme: "bearer",
  });
  expect(doc.paths["/expenses"].post.security).toEqual([{ bearerAuth: [] }]);
  expect(doc.paths["/expenses"].post.responses["401"]).toBeDefined();
  // Public operations say so: none needed, or (sign-up vs. invite) a token only optionally.
  for (const [method, path] of [
    ["get", "/healthz"],
    ["get", "/readyz"],
    ["post", "/auth/token"],
    ["post", "/auth/claim"],
    ["post", "/auth/claim-link"],
  ] as const)
    expect(doc.paths[path][method].security, `${method} ${path}`).toEqual([]);
  expect(doc.paths["/users"].post.security).toEqual([{}, { bearerAuth: [] }]);
});

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

it("passes Redocly's recommended lint without errors; every operation has a unique operationId", async () => {
  const doc = (await t.call("GET", "/openapi.json")).body;
  const problems = await lintFromString({
    source: JSON.stringify(doc),
    absoluteRef: "openapi.json",
    config: await createConfig({ extends: ["recommended"] }),
  });
  const lines = problems.map(
    (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? "?"}: ${p.message}`,
  );
  console.log(`openapi lint (Redocly recommended): ${lines.length} problems\n${lines.join("\n")}`);
  expect(lines.filter((l) => l.startsWith("error"))).toEqual([]);

  // Client generators name their methods after operationIds: each one present, camelCase, unique.
  const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>)
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ op: `${method.toUpperCase()} ${path}`, id: op.operationId })),
    )
    .sort((x, y) => x.op.localeCompare(y.op));
  expect(ops.length).toBeGreaterThanOrEqual(25);
  expect(ops.filter((o) => !/^[a-z][A-Za-z0-9]*$/.test(o.id ?? "")).map((o) => o.op)).toEqual([]);
  const seen = new Map<string, string>();
  const duplicates = ops.filter((o) => seen.has(o.id as string) || !seen.set(o.id as string, o.op));
  expect(duplicates.map((o) => `${o.op} repeats ${o.id}`)).toEqual([]);
  // Stable names for the operations clients already use.
  expect(doc.paths["/expenses"].post.operationId).toBe("createExpense");
  expect(doc.paths["/users/{userid}/balances"].get.operationId).toBe("getUserBalances");
  // Only components something refers to; the licence and a server are declared.
  expect(Object.keys(doc.components.schemas)).not.toContain("ProblemInput");
  expect(doc.info.license).toMatchObject({ name: "MIT" });
  expect(doc.servers?.[0]?.url).toMatch(/^https?:\/\//);
});

it("serves a browsable docs page", async () => {
  const res = await t.app.inject({ method: "GET", url: "/docs/" });
  expect(res.statusCode).toBe(200);
  expect(res.headers["content-type"]).toMatch(/text\/html/);
});

it("answers unknown routes with a problem+json 404 carrying the request id", async () => {
  const res = await t.call("GET", "/nope");
  expect(res.status).toBe(404);
  expect(res.headers["content-type"]).toMatch(/problem\+json/);
  expect(res.body.request_id).toBe(res.headers["x-request-id"]);
});

it("reports health and readiness", async () => {
  expect((await t.call("GET", "/healthz")).body).toEqual({ status: "ok" });
  expect((await t.call("GET", "/readyz")).body).toEqual({ status: "ready" });
});
