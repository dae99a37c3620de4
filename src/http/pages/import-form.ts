import type { FieldIssue } from "../../domain/errors.js";
import type { ImportFormat, MemberTarget } from "../../services/import.js";
import { groupNameIssue, IMPORT_FORMATS } from "../../services/import.js";
import { Invitee } from "../schemas/interchange.js";
import { type FormBody, idOf, one, placeIssues } from "./forms.js";
import type { ImportCarry, ImportChoice } from "./import-views.js";

/**
 * The import wizard's form (group-import.ts): what each step posts, read back into what the
 * import service takes. Nothing here is trusted: every step re-reads the file and the service
 * checks everything again.
 */

export const FORMAT_CHOICES: { value: ImportFormat; label: string; hint: string }[] = [
  { value: "splitwise-csv", label: "Splitwise CSV", hint: "a group's “Export as spreadsheet”" },
  { value: "spliit-json", label: "Spliit JSON", hint: "a group's JSON export" },
  { value: "evenly-json", label: "Evenly JSON", hint: "a group's export.json from Evenly" },
];

/** Everything the wizard carries, as posted. */
export interface WizardForm {
  format: string;
  name: string;
  /** The file's text: the textarea's (line ends made LF) or the carried copy's. */
  text: string;
  allowDuplicate: boolean;
  /** Choices by the index of the file's person (absent: not chosen yet). */
  choices: Map<number, ImportChoice>;
}

export const encodeFile = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** The carried copy; anything that is not base64url text is no file (the step says it is empty). */
function decodeFile(b64: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(b64)) return "";
  return Buffer.from(b64, "base64url").toString("utf8");
}

export function readWizardForm(form: FormBody): WizardForm {
  const carried = one(form, "file");
  const choices = new Map<number, ImportChoice>();
  for (const key of Object.keys(form)) {
    const m = /^who_(\d{1,4})$/.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    choices.set(index, {
      index,
      who: one(form, key).trim(),
      inviteName: one(form, `invite_name_${index}`).trim(),
      inviteEmail: one(form, `invite_email_${index}`).trim(),
    });
  }
  return {
    format: one(form, "format"),
    name: one(form, "name").trim(),
    // A textarea sends CRLF line ends whatever the file had: the text is kept with LF.
    text: carried ? decodeFile(carried) : one(form, "data").replace(/\r\n/g, "\n"),
    allowDuplicate: one(form, "allow_duplicate") === "1",
    choices,
  };
}

export const carryOf = (w: WizardForm): ImportCarry => ({
  format: w.format,
  name: w.name,
  file: encodeFile(w.text),
  allowDuplicate: w.allowDuplicate,
});

export const isFormat = (f: string): f is ImportFormat =>
  (IMPORT_FORMATS as readonly string[]).includes(f);

/**
 * The upload step's own checks: a format, some text, not over the limit (413), and the group name
 * typed there (else it would be refused only after "who is who", sending the user back here).
 */
export function checkUpload(
  w: WizardForm,
  maxBytes: number,
): { format: ImportFormat } | { issues: FieldIssue[]; status: number } {
  const issues: FieldIssue[] = [];
  let status = 422;
  if (!isFormat(w.format)) issues.push({ field: "format", message: "choose the file's format" });
  const bytes = Buffer.byteLength(w.text, "utf8");
  if (w.text.trim() === "")
    issues.push({ field: "data", message: "paste the file's text, or choose the file" });
  else if (bytes > maxBytes) {
    const message = `is ${mib(bytes)}; the largest file Evenly imports is ${mib(maxBytes)}`;
    issues.push({ field: "data", message });
    status = 413;
  }
  const nameIssue = w.name === "" ? null : groupNameIssue(w.name);
  if (nameIssue) issues.push(nameIssue);
  if (issues.length > 0 || !isFormat(w.format)) return { issues, status };
  return { format: w.format };
}

export const mib = (bytes: number) =>
  bytes >= 1_048_576
    ? `${Math.round((bytes / 1_048_576) * 10) / 10} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;

/**
 * The service's `members` from the choices, for the file's names in order; a person not chosen
 * and an invite without a valid name and email are the page's own messages (field names of the
 * form: `who_0`, `invite_email_0`).
 */
export function mappingOf(
  names: string[],
  choices: Map<number, ImportChoice>,
): { members: Record<string, MemberTarget>; issues: FieldIssue[] } {
  // Entries, then fromEntries: a person named "__proto__" stays a plain key.
  const members: [string, MemberTarget][] = [];
  const issues: FieldIssue[] = [];
  names.forEach((name, i) => {
    const c = choices.get(i);
    if (c?.who === "invite") {
      const invitee = Invitee.safeParse({ name: c.inviteName, email: c.inviteEmail });
      if (invitee.success) members.push([name, invitee.data]);
      else
        for (const issue of invitee.error.issues)
          issues.push({
            field: `invite_${String(issue.path[0])}_${i}`,
            message: issue.message,
          });
      return;
    }
    const id = idOf(c?.who ?? "");
    if (Number.isNaN(id))
      issues.push({ field: `who_${i}`, message: "choose who they are, or invite them" });
    else members.push([name, id]);
  });
  return { members: Object.fromEntries(members), issues };
}

/** The most issues listed for a file (a file with a thousand bad lines shows the first ones). */
const MAX_FILE_ISSUES = 12;

/**
 * The service's issues named as the wizard's fields: `members.<name>…` → that person's select or
 * invite fields (by index), `name` and `format` as they are, anything about the file (`line 7`,
 * `expenses[2].amount`) → the text, saying where.
 */
export function wizardIssues(issues: FieldIssue[], names: string[]): FieldIssue[] {
  const byLength = names.map((n, i) => ({ n, i })).sort((a, b) => b.n.length - a.n.length);
  const out: FieldIssue[] = [];
  let fileIssues = 0;
  for (const issue of issues) {
    const f = issue.field;
    if (f.startsWith("members.")) {
      const rest = f.slice("members.".length);
      const hit = byLength.find(({ n }) => rest === n || rest.startsWith(`${n}.`));
      if (hit) {
        const sub = rest.slice(hit.n.length);
        const field =
          sub === ".email"
            ? `invite_email_${hit.i}`
            : sub === ".name"
              ? `invite_name_${hit.i}`
              : `who_${hit.i}`;
        out.push({ field, message: issue.message });
        continue;
      }
    }
    if (["who_", "invite_"].some((p) => f.startsWith(p)) || ["", "name", "format"].includes(f)) {
      out.push(issue);
      continue;
    }
    // About the people as a whole (too many invitations): the page's summary.
    if (f === "members") {
      out.push({ field: "", message: `This import ${issue.message}` });
      continue;
    }
    fileIssues++;
    if (fileIssues <= MAX_FILE_ISSUES)
      out.push({
        field: "data",
        // `file` is the service's name for the whole file: the label already says "The file".
        message: f && f !== "data" && f !== "file" ? `${f}: ${issue.message}` : issue.message,
      });
  }
  if (fileIssues > MAX_FILE_ISSUES)
    out.push({
      field: "data",
      message: `and ${fileIssues - MAX_FILE_ISSUES} more problems in the file`,
    });
  return out;
}

const LABELS: Record<string, string> = {
  format: "Format",
  data: "The file",
  name: "Group name",
};

/** Messages next to the wizard's fields and in its summary. */
export function placeWizardIssues(issues: FieldIssue[], names: string[]) {
  const label = (k: string) => {
    const m = /^(who|invite_name|invite_email)_(\d+)$/.exec(k);
    if (!m) return LABELS[k] ?? k;
    const who = names[Number(m[2])] ?? "?";
    return m[1] === "who" ? who : `${who}'s ${m[1] === "invite_name" ? "name" : "email"}`;
  };
  return placeIssues(issues, (f) => f || null, label);
}
