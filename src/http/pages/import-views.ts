import type { FieldErrors } from "./view-types.js";

/** View models of the import wizard (group-import.ts): upload → who is who → preview → import. */

/** What every step after the upload carries in hidden fields; the server re-checks all of it. */
export interface ImportCarry {
  format: string;
  name: string;
  /** The file's text, base64url (hidden fields keep it byte for byte, line ends included). */
  file: string;
  allowDuplicate: boolean;
}

/** One person of the file and the choice made for them (`who`: "", "invite" or a user id). */
export interface ImportChoice {
  index: number;
  who: string;
  inviteName: string;
  inviteEmail: string;
}

export interface ImportUploadView {
  values: { format: string; name: string; data: string; allowDuplicate: boolean };
  formats: { value: string; label: string; hint: string }[];
  /** The same file was imported before: the form offers "Import it anyway". */
  duplicate: boolean;
  /** The largest file, in words ("10 MiB"). */
  limitText: string;
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
}

export interface ImportPeopleView {
  carry: ImportCarry;
  /** The group's name in the file, if it has one. */
  fileGroupName: string | null;
  people: (ImportChoice & { name: string; email: string | null })[];
  /** You, then the people you know: whom a file's name can be. */
  options: { value: string; label: string }[];
  errors: FieldErrors;
  summary: { field: string | null; message: string }[];
}

export interface ImportPreviewView {
  carry: ImportCarry;
  choices: ImportChoice[];
  groupName: string;
  expenses: number;
  settlements: number;
  /** Each name of the file and who it becomes ("You", "Bela", "Meera, invited at m@x.in"). */
  members: { name: string; who: string }[];
  /** The nets the import gives, per currency. */
  nets: {
    currency: string;
    rows: { name: string; tone: "owed" | "owe" | "zero"; text: string }[];
  }[];
  problems: string[];
}
