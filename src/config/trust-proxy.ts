import { isIP } from "node:net";
import { z } from "zod";

/** Address ranges @fastify/proxy-addr knows by name. */
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** An IP address, a CIDR range (`10.0.0.0/16`) or a named range. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [ip = "", prefix, ...rest] = entry.split("/");
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `false`/`0` (default) = the socket address is the client; a number N = the N
 * proxies nearest the app are trusted, so the client is the address the outermost one appended
 * (counted from the right of X-Forwarded-For, never the client-controlled left); a list of proxy
 * addresses/ranges = skip those from the right. `true` used to trust the leftmost entry, which
 * any client writes itself: it is refused rather than guessed, since the right count depends
 * on the deployment (Elastic Beanstalk has two proxies: the load balancer and nginx).
 */
export function parseTrustProxy(value: string, ctx: z.RefinementCtx): false | number | string[] {
  const v = value.trim();
  if (v === "false" || v === "0") return false;
  if (v === "true") {
    ctx.addIssue({
      code: "custom",
      message:
        "true is no longer accepted (it let any client choose its IP): set the number of proxies in front of the app (1 for one load balancer, 2 on Elastic Beanstalk: load balancer + nginx) or their addresses (e.g. 127.0.0.1,10.0.0.0/16)",
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops <= 10) return hops;
  } else {
    const entries = v.split(",").map((e) => e.trim());
    if (entries.every(isProxyAddress)) return entries;
  }
  ctx.addIssue({
    code: "custom",
    message:
      "must be false, a number of proxies (1-10) or a comma-separated list of proxy IP addresses or CIDR ranges",
  });
  return z.NEVER;
}
