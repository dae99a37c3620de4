import { fileURLToPath } from "node:url";
import formbody from "@fastify/formbody";
import fastifyView from "@fastify/view";
import { Eta } from "eta";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isDatabaseUnavailable } from "../../db/errors.js";
import { DomainError } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import { usePageSessions } from "../auth/page-session.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { accountPages } from "./account.js";
import { assetVersions, registerStatic } from "./assets.js";
import { dashboardPages } from "./dashboard.js";
import { devMailPages } from "./dev-mail.js";
import { expensePages } from "./expenses.js";
import { requirePageActor } from "./guard.js";
import { loginUrl } from "./local-path.js";
import { settlementPages } from "./settlements.js";
import { render } from "./views.js";

const viewsDir = fileURLToPath(new URL("../views", import.meta.url));

/**
 * The browser face of the app: server-rendered HTML under /app over the same services as the
 * JSON API. Encapsulated, so form bodies, templates and HTML error pages stay out of the API.
 */
export const pagesPlugin =
  (ctx: AppContext, limits: AuthRateLimits) => async (app: FastifyInstance) => {
    // HTML pages are not part of the JSON API document.
    app.addHook("onRoute", (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    const assets = assetVersions();
    await registerStatic(app, assets);
    await app.register(formbody);
    await usePageSessions(app, ctx);
    await app.register(fastifyView, {
      // Eta escapes every `<%= %>` by default; `<%~ %>` (raw) is used only for the layout body.
      engine: { eta: new Eta({ views: viewsDir, cache: process.env.NODE_ENV !== "development" }) },
      templates: viewsDir,
      production: process.env.NODE_ENV !== "development",
      defaultContext: { assets },
    });

    // Page errors are HTML pages (the JSON API keeps its problem+json handler).
    app.setErrorHandler(async (err: FastifyError, request, reply) => {
      const show = (status: number, heading: string, message: string) =>
        render(request, reply, ctx, "error", { title: heading, heading, message }, status);
      if (err instanceof DomainError && err.kind === "not_found")
        return show(404, "Not found", "That page or record does not exist, or was deleted.");
      const malformed = err instanceof DomainError && err.kind === "validation";
      if (hasZodFastifySchemaValidationErrors(err) || malformed || err.statusCode === 400)
        return show(400, "Bad request", "The address or form was not understood.");
      if (err instanceof DomainError && err.kind === "unauthenticated")
        return reply.redirect(loginUrl(request.url), 303);
      if (err instanceof DomainError && err.kind === "forbidden")
        return show(403, "Not allowed", err.message);
      if (err.code === "FST_CSRF_INVALID_TOKEN" || err.code === "FST_CSRF_MISSING_SECRET")
        return show(
          403,
          "Form expired",
          "Your form expired or came from elsewhere; reload the page and try again.",
        );
      if (err instanceof DomainError) return show(422, "Cannot do that", err.message);
      if (isDatabaseUnavailable(err)) {
        reply.header("retry-after", "5");
        return show(503, "Try again shortly", "The database is not answering right now.");
      }
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
        return show(err.statusCode, "Request refused", err.message);
      request.log.error({ err }, "unhandled page error");
      return show(500, "Something went wrong", `Please retry; request id ${request.id}.`);
    });

    app.get("/", async (_req, reply) => reply.redirect("/app", 302));
    await app.register(accountPages(ctx, limits));
    // Development only, off by default: each logged-in user sees the mails addressed to them.
    if (ctx.config.MAIL_PREVIEW === "true") await app.register(devMailPages(ctx));

    await app.register(
      async (pages) => {
        pages.addHook("preHandler", requirePageActor);
        pages.addHook("onSend", async (_req, reply) => {
          // Pages show personal data: never from a shared cache, never a stale copy after a POST.
          if (String(reply.getHeader("content-type") ?? "").startsWith("text/html"))
            reply.header("cache-control", "private, no-store");
        });
        pages.setNotFoundHandler(async (request, reply) =>
          render(
            request,
            reply,
            ctx,
            "error",
            { title: "Not found", heading: "Not found", message: "There is no such page." },
            404,
          ),
        );
        await pages.register(dashboardPages(ctx));
        await pages.register(expensePages(ctx));
        await pages.register(settlementPages(ctx));
      },
      { prefix: "/app" },
    );
  };
