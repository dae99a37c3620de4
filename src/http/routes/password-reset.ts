import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../services/context.js";
import { requestPasswordReset, resetPassword } from "../../services/password-reset.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { PasswordResetConfirm, PasswordResetRequest } from "../schemas/auth.js";
import { problemResponses } from "../schemas/common.js";

const { 400: bad, 410: gone, 422: rule, 429: tooMany } = problemResponses;

/** "Forgot password" for API clients: the same flow as the pages (/password-reset). */
export const passwordResetRoutes =
  (ctx: AppContext, limits: AuthRateLimits): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/auth/password-reset",
      {
        config: { auth: "public" },
        schema: {
          operationId: "requestPasswordReset",
          tags: ["auth"],
          summary:
            "Mail a one-time password reset link (answers the same for any email, known or not)",
          body: PasswordResetRequest,
          response: { 202: z.object({ status: z.literal("accepted") }), 400: bad, 429: tooMany },
        },
      },
      async (req, reply) => {
        await limits.beforePasswordReset(req.ip);
        await requestPasswordReset(ctx, req.body.email);
        return reply.code(202).send({ status: "accepted" as const });
      },
    );

    app.post(
      "/auth/password-reset/confirm",
      {
        config: { auth: "public" },
        schema: {
          operationId: "confirmPasswordReset",
          tags: ["auth"],
          summary:
            "Set a new password with the reset link's token; ends every session and API token",
          description:
            "400 for a token that was never issued, 410 for one used or expired, 422 when the " +
            "password breaks the sign-up rules (the token stays usable).",
          body: PasswordResetConfirm,
          response: { 204: z.undefined(), 400: bad, 410: gone, 422: rule, 429: tooMany },
        },
      },
      async (req, reply) => {
        await limits.beforePasswordReset(req.ip);
        await resetPassword(ctx, req.body.token, req.body.password);
        return reply.code(204).send();
      },
    );
  };
