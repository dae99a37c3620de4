import { z } from "zod";
import type { FieldIssue } from "../../domain/errors.js";
import { Text } from "../schemas/common.js";
import { MobileNumber, passwordAlongside } from "../schemas/users.js";
import { placeIssues } from "./forms.js";

/** What the account forms (sign-up, log-in, claim, profile) share: field labels and schemas. */

const LABELS: Record<string, string> = {
  name: "Name",
  email: "Email",
  mobile_number: "Mobile number",
  password: "Password",
  current_password: "Current password",
  new_password: "New password",
  password_confirmation: "New password again",
  token: "Link",
  label: "Token name",
};

/** Issues next to the account form fields of the same name; others only in the summary. */
export const placeAccountIssues = (issues: FieldIssue[]) =>
  placeIssues(
    issues,
    (f) => (f in LABELS ? f : null),
    (k) => LABELS[k] ?? k,
  );

export const SignupForm = z
  .object({
    name: Text(100),
    email: z.email("must be a valid email address").max(254),
    mobile_number: MobileNumber,
    password: z.string().max(1024),
  })
  // Every problem at once: the password's too, when another field is refused.
  .superRefine(passwordAlongside, { when: (payload) => payload.issues.length > 0 });

export const ProfileForm = z.object({ name: Text(100), mobile_number: MobileNumber });
