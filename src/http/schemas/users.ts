import { z } from "zod";
import { passwordIssues } from "../../domain/password-policy.js";
import { normalisePhone } from "../../domain/phone.js";
import { CursorQuery, Id, limitQuery, SingleLine, Text } from "./common.js";

/** A mobile number as typed (or a JSON integer), normalised to its stored form (domain/phone). */
export const MobileNumber = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const phone = normalisePhone(v);
    if (phone.ok) return phone.value;
    ctx.addIssue({ code: "custom", message: phone.message });
    return z.NEVER;
  })
  .meta({
    description:
      '7 to 15 digits with an optional leading +, as typed: spaces, dashes, dots and brackets between the digits are dropped ("+91 98765-43210" is stored as "+919876543210"); an integer is accepted too',
    examples: ["+919876543210", "98765 43210"],
  });

/**
 * When other fields are refused already, the password's problem joins them (every problem in one
 * response); alone, the sign-up service reports it as before.
 */
export function passwordAlongside(raw: unknown, ctx: z.RefinementCtx): void {
  const body = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  if (typeof body.password !== "string") return;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  for (const issue of passwordIssues(body.password, {
    email: text(body.email),
    name: text(body.name),
  }))
    ctx.addIssue({ code: "custom", path: ["password"], message: issue.message });
}

export const CreateUserBody = z
  .strictObject({
    name: Text(100),
    email: z.email("must be a valid email address").max(254),
    mobile_number: MobileNumber,
    password: z.string().max(1024).optional().meta({
      description:
        "With a password (10+ characters, not a common one) this signs up an account that can log in. Without one, a logged-in caller invites a friend, who gets a one-time link to claim the account.",
    }),
  })
  .superRefine(passwordAlongside, { when: (payload) => payload.issues.length > 0 })
  .meta({ id: "NewUser" });

export const User = z
  .object({
    userid: Id,
    name: z.string(),
    email: z.string(),
    mobile_number: z.string().nullable().meta({
      description: "null for someone invited by email only, until they add it",
    }),
    active: z.boolean(),
    /** false for an invited user who has not claimed the account yet. */
    claimed: z.boolean(),
    created_at: z.string(),
  })
  .meta({ id: "User" });

/** An email as typed to look someone up or to log in (any one-line text; no format check). */
export const EmailLookup = SingleLine(254);

export const UserListQuery = z.object({
  email: EmailLookup.optional().meta({
    description:
      "Exact email lookup (any active user; only userid and name of someone you do not know yet); overrides q",
  }),
  q: SingleLine(100)
    .optional()
    .meta({ description: "Case-insensitive name or email prefix among the people you know" }),
  cursor: CursorQuery,
  limit: limitQuery(50, 200),
});

/** What anyone may learn of a user by their exact email: enough to add them as a friend. */
export const PublicUser = z.object({ userid: Id, name: z.string() }).meta({ id: "PublicUser" });

export const UserList = z.object({
  items: z.array(z.union([User, PublicUser])),
  next_cursor: z.string().nullable(),
});
