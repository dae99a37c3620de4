import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { FastifyInstance, RouteOptions } from "fastify";

export interface RouteRecorder {
  /** Every registered route, as "METHOD /url" (the pattern: `/users/:userid`). */
  routes: Set<string>;
  /** Every route a request reached, in the same form. */
  requested: Set<string>;
  stop(): void;
}

/**
 * Records the routes of the Fastify apps created until stop(), and which of them requests
 * reach: Fastify publishes each new instance on the `fastify.initialization` diagnostics channel
 * before any plugin is registered, so hooks added there see every route, however nested.
 */
export function recordRoutes(): RouteRecorder {
  const routes = new Set<string>();
  const requested = new Set<string>();
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook("onRoute", (route: RouteOptions) => {
      for (const method of [route.method].flat()) routes.add(`${method} ${route.url}`);
    });
    fastify.addHook("onRequest", async (request) => {
      if (request.routeOptions.url) requested.add(`${request.method} ${request.routeOptions.url}`);
    });
  };
  subscribe("fastify.initialization", onInit);
  return { routes, requested, stop: () => unsubscribe("fastify.initialization", onInit) };
}
