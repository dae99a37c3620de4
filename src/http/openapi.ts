import type { SwaggerTransformObject } from "@fastify/swagger";
import { jsonSchemaTransformObject } from "fastify-type-provider-zod";
import type { OpenAPIV3_1 } from "openapi-types";

const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

/** Every `#/components/schemas/…` name that `node` refers to, at any depth. */
function schemaRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) schemaRefs(item, into);
  else if (node && typeof node === "object")
    for (const [key, value] of Object.entries(node)) {
      const name = key === "$ref" && typeof value === "string" ? SCHEMA_REF.exec(value)?.[1] : null;
      if (name) into.add(decodeURIComponent(name));
      else schemaRefs(value, into);
    }
}

/**
 * The zod transform adds every registered schema twice (an input and an output variant): only
 * the ones the operations use, directly or through other schemas, stay in the document.
 */
export const transformOpenApiObject: SwaggerTransformObject = (document) => {
  // The app declares OpenAPI 3.1 (src/app.ts).
  const doc = jsonSchemaTransformObject(document) as Partial<OpenAPIV3_1.Document>;
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  schemaRefs({ ...doc, components: { ...doc.components, schemas: {} } }, used);
  // Schemas used by used schemas, until nothing new turns up.
  for (let size = -1; size !== used.size; ) {
    size = used.size;
    for (const name of [...used]) schemaRefs(schemas[name], used);
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...doc.components, schemas: kept } };
};
