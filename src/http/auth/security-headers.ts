import type { FastifyInstance } from "fastify";
import helmet from "helmet";

/**
 * Security headers on every response: a CSP without inline scripts or styles, no framing,
 * nosniff, and HSTS only over HTTPS (on plain HTTP it would be ignored or, behind a proxy that
 * terminates TLS, is added once TRUST_PROXY tells us the original scheme). The middleware is built
 * once: @fastify/helmet built it on every request, re-parsing the CSP each time.
 */
export async function useSecurityHeaders(app: FastifyInstance): Promise<void> {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
  app.addHook("onSend", async (request, reply) => {
    if (request.protocol === "https")
      reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
  });
}
