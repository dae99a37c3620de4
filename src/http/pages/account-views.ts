import type { FieldErrors } from "./view-types.js";

// What the account pages' templates get (sign-in.ts, password-reset.ts, profile.ts).

export interface AuthFormView {
  values: Record<string, string>;
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
  /** Local path to return to after logging in. */
  next: string;
  notice: string | null;
}

export interface ClaimView extends AuthFormView {
  token: string;
  /** Whose account the link claims; null when the link is invalid, expired or used. */
  name: string | null;
}

export interface ProfileView extends AuthFormView {
  email: string;
  preferences: { expenseEmails: boolean; weeklySummary: boolean };
  tokens: { id: number; label: string; created: string; expires: string; lastUsed: string }[];
  /** A token just created: shown once, never again. */
  newToken: string | null;
}

export interface ResetSentView {
  /** How long the mailed link works. */
  ttlMinutes: number;
}

export interface ResetConfirmView extends AuthFormView {
  token: string;
  /** Why the link cannot be used (unknown, used or expired); null when it can. */
  deadLink: string | null;
}

/** Templates of the account pages (sign-in.ts, password-reset.ts, profile.ts). */
export interface AccountViews {
  login: AuthFormView;
  signup: AuthFormView;
  claim: ClaimView;
  "password-reset": AuthFormView;
  "password-reset-sent": ResetSentView;
  "password-reset-confirm": ResetConfirmView;
  profile: ProfileView;
}
