import { z } from "zod";
import { isCurrencyCode } from "../../domain/currency.js";
import { IdText, idParam } from "../schemas/common.js";

/**
 * Schemas of page addresses. A path id that is not one is a 404 page (error-pages.ts); in query
 * strings, filters and prefills a page does not understand are ignored (the page shows without
 * them), while a cursor it did not hand out is a 400 page, as on the API: read as page 1 it
 * would silently restart the list.
 */

/** `/app/expenses/:id`, `/profile/tokens/:id/revoke`: the API's id rule. */
export const IdPath = idParam("id");

/** The keys a page reads are checked; any other (a tracking parameter) passes through. */
export const pageQuery = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape);

/** `?person=`, `?with=`: anything but one id in range means no filter or prefill. */
export const OptionalIdQuery = IdText.optional().catch(undefined);

/** `?simplify=1` turns it on; any other value leaves it off. */
export const FlagQuery = z
  .unknown()
  .optional()
  .transform((v) => v === "1");

/** A text value the page checks itself (`next`, `token`): anything but one string is none. */
export const OptionalTextQuery = z.string().optional().catch(undefined);

/**
 * `?currency=USD` (the "Settle up" of a dashboard row or of a group's transfer): anything but one
 * known code means none.
 */
export const OptionalCurrencyQuery = z
  .string()
  .refine((c) => isCurrencyCode(c))
  .optional()
  .catch(undefined);
