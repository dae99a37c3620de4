import formbody from "@fastify/formbody";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { setPasswordHashConcurrency } from "./auth/password-hash.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { rateLimiterFactory } from "./db/rate-limit-store.js";
import { decorateActor } from "./http/actor.js";
import { useApiAuth } from "./http/auth/api-auth.js";
import { AuthRateLimits } from "./http/auth/rate-limits.js";
import { useSecurityHeaders } from "./http/auth/security-headers.js";
import { trustProxyOption } from "./http/auth/trust-proxy.js";
import { registerErrorHandling } from "./http/error-handler.js";
import { acceptJsonBodiesOnly, useJsonBodyParser } from "./http/json-body.js";
import { transformOpenApiObject } from "./http/openapi.js";
import { pagesPlugin } from "./http/pages/index.js";
import { activityRoutes } from "./http/routes/activity.js";
import { authRoutes } from "./http/routes/auth.js";
import { balanceRoutes } from "./http/routes/balances.js";
import { expenseRoutes } from "./http/routes/expenses.js";
import { friendRoutes } from "./http/routes/friends.js";
import { groupRoutes } from "./http/routes/groups.js";
import { interchangeRoutes } from "./http/routes/interchange.js";
import { passwordResetRoutes } from "./http/routes/password-reset.js";
import { preferenceRoutes } from "./http/routes/preferences.js";
import { settlementRoutes } from "./http/routes/settlements.js";
import { systemRoutes } from "./http/routes/system.js";
import { unsubscribeRoutes } from "./http/routes/unsubscribe.js";
import { userRoutes } from "./http/routes/users.js";
import { loadSecret } from "./notifications/tokens.js";
import type { AppContext } from "./services/context.js";

/** Query parameters whose values never reach the log (e.g. the unsubscribe link's token). */
const SECRET_PARAM = /pass|token|secret|key|auth|sig|code|session/i;

/** The request URL as logged: values of secret-looking query parameters are censored. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {}
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join("&")}`;
}

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  /** Pass `false` to silence request logs (tests). */
  logger?: boolean;
  /** Where log lines go (default stdout); tests capture them. */
  logStream?: { write(line: string): void };
  /** Called after a write that added outbox rows commits (the in-process relay's kick). */
  outboxWritten?: () => void;
}

/** Builds the HTTP app; it owns no resources, so tests can build many over one database. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    bodyLimit: config.BODY_LIMIT_BYTES,
    logger:
      deps.logger === false
        ? false
        : {
            level: config.LOG_LEVEL,
            // Request lines carry method, url and ids only (never bodies); these paths are
            // censored wherever they appear anyway, should a header or body be logged.
            redact: {
              paths: [
                "req.headers.authorization",
                "req.headers.cookie",
                'req.headers["x-api-key"]',
                'res.headers["set-cookie"]',
                "password",
                "*.password",
                "*.passwordHash",
                "*.token",
                "*.secret",
                "*.APP_SECRET",
                "*.DATABASE_URL",
                "*.SMTP_URL",
              ],
              censor: "[redacted]",
            },
            serializers: {
              req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
                method: req.method,
                url: redactUrl(req.url),
                host: req.host,
                remoteAddress: req.ip,
              }),
            },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
          },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerErrorHandling(app);
  useJsonBodyParser(app);
  decorateActor(app);

  await useSecurityHeaders(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      components: {
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            description: "A token from POST /auth/token",
          },
        },
      },
      info: {
        title: "Evenly API",
        version: "0.1.0",
        description:
          "Shared expenses: users, expenses split EQUAL/EXACT/PERCENTAGE, balances, debt simplification and settlements. Amounts are decimal numbers with at most 2 places; errors are RFC 9457 problem details.",
        license: { name: "MIT", identifier: "MIT" },
      },
      servers: [{ url: config.PUBLIC_URL, description: "This deployment (PUBLIC_URL)" }],
    },
    transform: jsonSchemaTransform,
    transformObject: transformOpenApiObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  const ctx: AppContext = {
    db: database.db,
    config,
    secret: await loadSecret(database.db, config.APP_SECRET),
    ...(deps.outboxWritten ? { outboxWritten: deps.outboxWritten } : {}),
  };
  setPasswordHashConcurrency(config.PASSWORD_HASH_CONCURRENCY);
  const limits = new AuthRateLimits(config, rateLimiterFactory(database));
  await app.register(systemRoutes({ ping: database.ping }));
  // The JSON API: JSON bodies only, bearer tokens, every route authenticated unless marked public.
  await app.register(async (api) => {
    acceptJsonBodiesOnly(api);
    useApiAuth(api, ctx);
    await api.register(authRoutes(ctx, limits));
    await api.register(passwordResetRoutes(ctx, limits));
    await api.register(userRoutes(ctx, limits));
    await api.register(friendRoutes(ctx, limits));
    await api.register(expenseRoutes(ctx));
    await api.register(balanceRoutes(ctx));
    await api.register(settlementRoutes(ctx));
    await api.register(interchangeRoutes(ctx, limits));
    await api.register(groupRoutes(ctx));
    await api.register(preferenceRoutes(ctx));
    await api.register(activityRoutes(ctx));
  });
  // Form bodies only where mail clients post them (RFC 8058), never on the JSON API.
  await app.register(async (scope) => {
    await scope.register(formbody);
    await scope.register(unsubscribeRoutes(ctx));
  });
  // Web pages (HTML, cookie sessions, CSRF-checked forms; static files under /static; the
  // development mail preview when MAIL_PREVIEW=true).
  await app.register(pagesPlugin(ctx, limits));
  return app;
}
