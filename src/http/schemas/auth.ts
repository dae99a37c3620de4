import { z } from "zod";
import { Id, SingleLine, Text } from "./common.js";
import { EmailLookup, MobileNumber } from "./users.js";

export const TokenRequest = z
  .strictObject({
    email: EmailLookup,
    password: z.string().max(1024),
    label: Text(100).optional().meta({ description: "A name to recognise the token by" }),
  })
  .meta({ id: "TokenRequest" });

export const IssuedToken = z
  .object({
    token: z.string().meta({ description: "Send as `Authorization: Bearer <token>`; shown once" }),
    expires_at: z.string(),
    token_id: Id,
  })
  .meta({ id: "IssuedToken" });

export const TokenInfo = z
  .object({
    token_id: Id,
    label: z.string(),
    created_at: z.string(),
    expires_at: z.string(),
    last_used_at: z.string().nullable(),
    current: z.boolean().meta({ description: "The token this request was made with" }),
  })
  .meta({ id: "TokenInfo" });

export const ClaimRequest = z
  .strictObject({
    token: z.string().max(200),
    password: z.string().max(1024),
    mobile_number: MobileNumber.optional().meta({
      description: "Your mobile number, if whoever invited you did not give it",
    }),
  })
  .meta({ id: "ClaimRequest" });

export const ClaimLinkRequest = z.strictObject({ email: EmailLookup });

export const PasswordChange = z
  .strictObject({ current_password: z.string().max(1024), new_password: z.string().max(1024) })
  .meta({ id: "PasswordChange" });

/** Any well-formed email (known or not: the answer is the same); a malformed one is a 400. */
export const ResetEmail = SingleLine(254).pipe(z.email("must be a valid email address"));

export const PasswordResetRequest = z
  .strictObject({ email: ResetEmail })
  .meta({ id: "PasswordResetRequest" });

export const PasswordResetConfirm = z
  .strictObject({
    token: z
      .string()
      .max(200)
      .meta({ description: "The `token` query parameter of the mail's link" }),
    password: z.string().max(1024),
  })
  .meta({ id: "PasswordResetConfirm" });
