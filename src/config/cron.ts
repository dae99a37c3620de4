import parser from "cron-parser";
import { z } from "zod";

/**
 * A 5-field cron expression as pg-boss reads it (it uses the same cron-parser): checked at
 * start-up, since a value pg-boss cannot parse (`99 * * * *`) would otherwise stop the worker
 * only when it schedules.
 */
export function cronExpression(fallback: string) {
  return z
    .string()
    .default(fallback)
    .superRefine((c, ctx) => {
      if (c.trim().split(/\s+/).length !== 5) {
        ctx.addIssue({ code: "custom", message: "must be a 5-field cron expression" });
        return;
      }
      try {
        parser.parseExpression(c);
      } catch (e) {
        ctx.addIssue({
          code: "custom",
          message: `is not a valid cron expression (${(e as Error).message})`,
        });
      }
    });
}
