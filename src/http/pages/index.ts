import { fileURLToPath } from "node:url";
import formbody from "@fastify/formbody";
import fastifyView from "@fastify/view";
import { Eta } from "eta";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../services/context.js";
import { usePageSessions } from "../auth/page-session.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { refuseOtherBodies } from "../json-body.js";
import { activityPages } from "./activity.js";
import { assetVersions, registerStatic } from "./assets.js";
import { dashboardPages } from "./dashboard.js";
import { devMailPages } from "./dev-mail.js";
import { usePageErrors } from "./error-pages.js";
import { expenseListPage } from "./expense-list.js";
import { expensePages } from "./expenses.js";
import { groupExportPages } from "./exports.js";
import { friendPages } from "./friends.js";
import { groupImportPages } from "./group-import.js";
import { groupSettingsPages } from "./group-settings.js";
import { groupPages } from "./groups.js";
import { requirePageActor } from "./guard.js";
import { passwordResetPages } from "./password-reset.js";
import { profilePages } from "./profile.js";
import { settlementPages } from "./settlements.js";
import { signInPages } from "./sign-in.js";
import { render } from "./views.js";

const viewsDir = fileURLToPath(new URL("../views", import.meta.url));

/**
 * What every page scope needs: static files, form bodies, cookie sessions with CSRF checks,
 * templates, and HTML error pages with the API's statuses (the JSON API keeps problem+json).
 */
export async function usePageChrome(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // HTML pages are not part of the JSON API document.
  app.addHook("onRoute", (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  // Templates are read once, except in development where edits show on reload.
  const cacheTemplates = ctx.config.NODE_ENV !== "development";
  const assets = assetVersions();
  await registerStatic(app, assets);
  // Forms only: urlencoded, as every page form posts. Fastify's own text/plain and the app's JSON
  // parser would hand the CSRF check and the routes a string or an object (a text/plain form was a
  // 403 "form expired"); any other type is a 415 page instead (error-pages.ts).
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  refuseOtherBodies(app);
  await usePageSessions(app, ctx);
  await app.register(fastifyView, {
    // Eta escapes every `<%= %>` by default; `<%~ %>` (raw) is used only for the layout body.
    engine: { eta: new Eta({ views: viewsDir, cache: cacheTemplates }) },
    templates: viewsDir,
    production: cacheTemplates,
    defaultContext: { assets },
  });
  usePageErrors(app, ctx);
}

/**
 * The browser face of the app: server-rendered HTML under /app over the same services as the
 * JSON API. Encapsulated, so form bodies, templates and HTML error pages stay out of the API.
 */
export const pagesPlugin =
  (ctx: AppContext, limits: AuthRateLimits) => async (app: FastifyInstance) => {
    await usePageChrome(app, ctx);

    app.get("/", async (_req, reply) => reply.redirect("/app", 302));
    await app.register(signInPages(ctx, limits));
    await app.register(passwordResetPages(ctx, limits));
    await app.register(profilePages(ctx));
    // Development only, off by default: each logged-in user sees the mails addressed to them.
    if (ctx.config.MAIL_PREVIEW === "true") await app.register(devMailPages(ctx));

    await app.register(
      async (pages) => {
        pages.addHook("preValidation", requirePageActor);
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
        await pages.register(expensePages(ctx, limits));
        await pages.register(expenseListPage(ctx));
        await pages.register(settlementPages(ctx));
        await pages.register(friendPages(ctx, limits));
        await pages.register(groupPages(ctx));
        await pages.register(groupSettingsPages(ctx));
        await pages.register(groupImportPages(ctx, limits));
        await pages.register(groupExportPages(ctx));
        await pages.register(activityPages(ctx));
      },
      { prefix: "/app" },
    );
  };
