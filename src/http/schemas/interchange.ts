import { z } from "zod";
import { IMPORT_FORMATS } from "../../services/import.js";
import { Amount, Id, SingleLine, Text } from "./common.js";

/** Shared with the import page's invite fields. */
export const Invitee = z
  .object({
    name: Text(100),
    email: z.email("must be a valid email address").max(254),
  })
  .meta({ description: "Someone to invite by email (or befriend, if they have an account)" });

export const ImportBody = z
  .object({
    format: z.enum(IMPORT_FORMATS),
    data: z.string().min(1, "must not be empty").describe("The file's text, exactly as exported"),
    name: Text(100).optional().describe("The new group's name (default: the file's)"),
    members: z
      .record(SingleLine(200), z.union([Id, Invitee]))
      .describe(
        "Each member name as the file writes it → a user id you know, or {name, email} to invite",
      ),
    dry_run: z.boolean().optional().describe("Only say what would be imported; write nothing"),
    allow_duplicate: z
      .boolean()
      .optional()
      .describe("Import a file you imported before (409 otherwise)"),
  })
  .meta({ id: "ImportRequest" });

export const ImportAnswer = z
  .object({
    groupid: Id.nullable().describe("The new group; null for a dry run"),
    dry_run: z.boolean(),
    group: z.object({ name: z.string(), currency: z.string() }),
    members: z.array(
      z.object({
        name: z.string().describe("As the file writes it"),
        userid: Id.nullable().describe("Null in a dry run for someone who would be invited"),
        email: z.string().nullable(),
      }),
    ),
    expenses: z.number().int().describe("Expenses imported (or that would be)"),
    settlements: z.number().int(),
    nets: z.array(
      z.object({
        name: z.string(),
        userid: Id.nullable(),
        currency: z.string(),
        amount: Amount.describe("Paid minus share: > 0 is owed to them"),
      }),
    ),
    problems: z
      .array(z.string())
      .describe("What the file could not say exactly, or Evenly cannot keep"),
  })
  .meta({ id: "ImportResult" });
