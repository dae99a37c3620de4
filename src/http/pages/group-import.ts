import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { formatMoney } from "../../domain/currency.js";
import { Conflict, type FieldIssue, RateLimited } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import {
  type ImportFormat,
  type ImportOutcome,
  importGroup,
  membersOfFile,
} from "../../services/import.js";
import { peopleOf } from "../../services/people.js";
import { getUser } from "../../services/users.js";
import { requireActor } from "../actor.js";
import type { AuthRateLimits as Limits } from "../auth/rate-limits.js";
import { formFailure } from "./error-pages.js";
import { redirectWithFlash } from "./flash.js";
import { formOf } from "./forms.js";
import {
  carryOf,
  checkUpload,
  FORMAT_CHOICES,
  isFormat,
  mappingOf,
  mib,
  placeWizardIssues,
  readWizardForm,
  type WizardForm,
  wizardIssues,
} from "./import-form.js";
import type { ImportChoice } from "./import-views.js";
import { render } from "./views.js";

type People = { name: string; email: string | null }[];

/** "is owed ₹5.00" / "owes ₹5.00" / "settled up", in the net's own currency. */
function netText(amount: number, currency: string) {
  if (amount > 0)
    return { tone: "owed" as const, text: `is owed ${formatMoney(amount, currency)}` };
  if (amount < 0) return { tone: "owe" as const, text: `owes ${formatMoney(-amount, currency)}` };
  return { tone: "zero" as const, text: "settled up" };
}

/**
 * The import wizard, from the Groups page: the file (pasted, or chosen and read into the text
 * box by app.js) → who is who → a preview from the service's dry run → the import. Each step
 * posts everything again (the file as base64url in a hidden field), is checked again from the
 * start, and shows every message on its form; only the last one writes.
 */
export const groupImportPages = (ctx: AppContext, rl: Limits) => async (scope: FastifyInstance) => {
  const maxBytes = ctx.config.IMPORT_MAX_BYTES;
  // A pasted file arrives urlencoded (up to 3 bytes per byte: %XX), with the form around it.
  const bodyLimit = 3 * maxBytes + 256 * 1024;

  const showUpload = (
    request: FastifyRequest,
    reply: FastifyReply,
    w: WizardForm,
    issues: FieldIssue[] = [],
    status = 200,
  ) => {
    const placed = placeWizardIssues(wizardIssues(issues, []), []);
    return render(
      request,
      reply,
      ctx,
      "group-import",
      {
        title: "Import a group",
        nav: "groups",
        values: {
          format: isFormat(w.format) ? w.format : "",
          name: w.name,
          data: w.text,
          allowDuplicate: w.allowDuplicate,
        },
        formats: FORMAT_CHOICES,
        duplicate: status === 409,
        limitText: mib(maxBytes),
        ...placed,
      },
      status,
    );
  };

  /** Who each name can be: you first, then the people you know (with their email: names repeat). */
  const optionsFor = async (me: number) => {
    const [self, known] = await Promise.all([getUser(ctx, me, me), peopleOf(ctx, me)]);
    return [
      { id: me, name: self.name, email: self.email, label: `You (${self.name})` },
      ...known.map((p) => ({ ...p, label: `${p.name} (${p.email})` })),
    ];
  };

  /** The first guess for a name: the same email, else the same name, else invite by its email. */
  const guess = (p: People[number], options: Awaited<ReturnType<typeof optionsFor>>) => {
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    const byEmail = p.email ? options.find((o) => same(o.email, p.email as string)) : undefined;
    const byName = options.filter((o) => same(o.name, p.name));
    if (byEmail) return String(byEmail.id);
    if (byName.length === 1) return String(byName[0]?.id);
    return p.email ? "invite" : "";
  };

  const showPeople = async (
    request: FastifyRequest,
    reply: FastifyReply,
    w: WizardForm,
    file: { name: string | null; members: People },
    issues: FieldIssue[] = [],
    status = 200,
  ) => {
    const options = await optionsFor(requireActor(request).userId);
    const names = file.members.map((m) => m.name);
    return render(
      request,
      reply,
      ctx,
      "group-import-people",
      {
        title: "Import a group: who is who",
        nav: "groups",
        carry: carryOf(w),
        fileGroupName: file.name,
        people: file.members.map((p, index) => {
          const c = w.choices.get(index);
          return {
            index,
            name: p.name,
            email: p.email,
            who: c ? c.who : guess(p, options),
            // At most 100 whole characters (an emoji is two UTF-16 units, never cut in half).
            inviteName: c ? c.inviteName : [...p.name.trim()].slice(0, 100).join(""),
            inviteEmail: c ? c.inviteEmail : (p.email ?? ""),
          };
        }),
        options: options.map((o) => ({ value: String(o.id), label: o.label })),
        ...placeWizardIssues(wizardIssues(issues, names), names),
      },
      status,
    );
  };

  const showPreview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    w: WizardForm,
    names: string[],
    outcome: ImportOutcome,
  ) => {
    const options = await optionsFor(requireActor(request).userId);
    const labelOf = new Map(options.map((o) => [o.id, o.id === options[0]?.id ? "You" : o.name]));
    const choices: ImportChoice[] = names.map((_, index) => w.choices.get(index) as ImportChoice);
    /** Who a name of the file becomes: at length in the people table, short next to a net. */
    const whoOf = (i: number, short = false) => {
      const c = choices[i] as ImportChoice;
      if (c.who !== "invite") return labelOf.get(Number(c.who)) ?? "?";
      return short
        ? `${c.inviteName}, new`
        : `${c.inviteName}, by email ${c.inviteEmail} (invited unless they have an account)`;
    };
    const currencies = [...new Set(outcome.nets.map((n) => n.currency))];
    return render(request, reply, ctx, "group-import-preview", {
      title: "Import a group: preview",
      nav: "groups",
      carry: carryOf(w),
      choices,
      groupName: outcome.group.name,
      expenses: outcome.expenses,
      settlements: outcome.settlements,
      members: outcome.members.map((m, i) => ({ name: m.name, who: whoOf(i) })),
      nets: currencies.map((currency) => ({
        currency,
        rows: outcome.nets
          .filter((n) => n.currency === currency)
          .map((n) => ({
            name: `${n.name} (${whoOf(names.indexOf(n.name), true)})`,
            ...netText(n.amount, currency),
          })),
      })),
      problems: outcome.problems,
    });
  };

  type FileOfForm = {
    w: WizardForm;
    format: ImportFormat;
    file: { name: string | null; members: People };
  };

  /** The posted file checked from the start, as the import would; the upload page on a problem. */
  const readFile = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ ok: true; read: FileOfForm } | { ok: false; page: FastifyReply }> => {
    const w = readWizardForm(formOf(request.body));
    const upload = checkUpload(w, maxBytes);
    if ("issues" in upload)
      return { ok: false, page: await showUpload(request, reply, w, upload.issues, upload.status) };
    const input = { format: upload.format, data: w.text, allow_duplicate: w.allowDuplicate };
    try {
      const file = await membersOfFile(ctx, input, requireActor(request).userId);
      return { ok: true, read: { w, format: upload.format, file } };
    } catch (err) {
      const { status, issues } = formFailure(err, reply);
      return { ok: false, page: await showUpload(request, reply, w, issues, status) };
    }
  };

  /**
   * Preview and import: the file (the upload page on a problem), the choices (the people page),
   * then the service, dry or not; its refusals go to the step they are about.
   */
  const runImport = async (request: FastifyRequest, reply: FastifyReply, dryRun: boolean) => {
    const got = await readFile(request, reply);
    if (!got.ok) return got.page;
    const { w, format, file } = got.read;
    const names = file.members.map((m) => m.name);
    const mapping = mappingOf(names, w.choices);
    if (mapping.issues.length > 0) return showPeople(request, reply, w, file, mapping.issues, 422);
    const me = requireActor(request).userId;
    try {
      const outcome = await importGroup(
        ctx,
        {
          format,
          data: w.text,
          name: w.name || undefined,
          members: mapping.members,
          dry_run: dryRun,
          allow_duplicate: w.allowDuplicate,
        },
        me,
        rl.invitesOf(me), // each person invited counts against the importer's invitations
      );
      if (dryRun) return showPreview(request, reply, w, names, outcome);
      return redirectWithFlash(request, reply, `/app/groups/${outcome.groupId}`, "group-imported");
    } catch (err) {
      const { status, issues } = formFailure(err, reply);
      // About the people (one of them, or how many would be invited): the step that chooses them.
      const aboutPeople = issues.some(
        (i) => i.field === "members" || i.field.startsWith("members."),
      );
      if (err instanceof RateLimited || (!(err instanceof Conflict) && aboutPeople))
        return showPeople(request, reply, w, file, issues, status);
      return showUpload(request, reply, w, issues, status);
    }
  };

  scope.get("/groups/import", async (request, reply) =>
    showUpload(request, reply, {
      format: "splitwise-csv",
      name: "",
      text: "",
      allowDuplicate: false,
      choices: new Map(),
    }),
  );

  // "Back to the file": the upload form again with the carried text.
  scope.post("/groups/import/file", { bodyLimit }, async (request, reply) =>
    showUpload(request, reply, readWizardForm(formOf(request.body))),
  );

  // The upload (or "Change who is who"): the file's people, each with a choice to make.
  scope.post("/groups/import/people", { bodyLimit }, async (request, reply) => {
    const got = await readFile(request, reply);
    return got.ok ? showPeople(request, reply, got.read.w, got.read.file) : got.page;
  });

  scope.post("/groups/import/preview", { bodyLimit }, async (request, reply) =>
    runImport(request, reply, true),
  );

  scope.post("/groups/import/confirm", { bodyLimit }, async (request, reply) =>
    runImport(request, reply, false),
  );
};
