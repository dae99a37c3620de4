import type { FastifyServerOptions } from "fastify";
import type { AuthConfig } from "../../config.js";

/**
 * Fastify's `trustProxy` from TRUST_PROXY. A plain number is not passed through: Fastify ignores
 * hop counts (it trusts nothing then), so N becomes "the first N addresses from the socket's
 * side", i.e. the client is the address the outermost trusted proxy appended. That suits a
 * deployment where only the proxies can reach the app (private subnets); otherwise list the
 * proxies' addresses, which Fastify checks against each peer.
 */
export function trustProxyOption(
  setting: AuthConfig["TRUST_PROXY"],
): FastifyServerOptions["trustProxy"] {
  if (setting === false) return false;
  if (typeof setting === "number") return (_address: string, hop: number) => hop < setting;
  return setting;
}
