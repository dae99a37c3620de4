import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const publicDir = fileURLToPath(new URL("../../../public", import.meta.url));

/**
 * Static files under /static/, linked as `/static/app.css?v=<content hash>`: a changed file gets
 * a new URL, so the versioned URL may be cached for a year (immutable). A request without the
 * current hash (an old page, a hand-typed URL) is cached only briefly.
 */
export function assetVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of readdirSync(publicDir)) {
    const hash = createHash("sha256")
      .update(readFileSync(`${publicDir}/${name}`))
      .digest("hex")
      .slice(0, 12);
    versions[name] = `/static/${name}?v=${hash}`;
  }
  return versions;
}

export async function registerStatic(
  app: FastifyInstance,
  versions: Record<string, string>,
): Promise<void> {
  const current = new Set(Object.values(versions));
  await app.register(async (scope) => {
    scope.addHook("onSend", async (request, reply) => {
      if (reply.statusCode !== 200 && reply.statusCode !== 304) return;
      reply.header(
        "cache-control",
        current.has(request.url) ? "public, max-age=31536000, immutable" : "public, max-age=300",
      );
    });
    // Browsers ask for /favicon.ico by themselves (the pages link the SVG): send them there.
    const icon = versions["favicon.svg"];
    if (icon)
      scope.get("/favicon.ico", async (_request, reply) =>
        reply.header("cache-control", "public, max-age=86400").redirect(icon, 301),
      );
    await scope.register(fastifyStatic, {
      root: publicDir,
      prefix: "/static/",
      decorateReply: false, // swagger-ui registers its own copy; keep ours private
      cacheControl: false, // set above, per URL
      index: false,
    });
  });
}
