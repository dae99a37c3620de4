import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { Conflict, type FieldIssue, RuleViolation } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import {
  addGroupMember,
  archiveGroupById,
  getGroup,
  removeGroupMember,
  updateGroupSettings,
} from "../../services/groups.js";
import { peopleOf } from "../../services/people.js";
import { requireActor } from "../actor.js";
import { IdText } from "../schemas/common.js";
import { GroupChangesBody } from "../schemas/groups.js";
import { currencyOfForm, currencyOptions } from "./currency-choice.js";
import { formFailure } from "./error-pages.js";
import { redirectWithFlash } from "./flash.js";
import { formOf, idOf, many, one, placeIssues, zodIssues } from "./forms.js";
import type { GroupSettingsView } from "./group-views.js";
import { IdPath } from "./page-schemas.js";
import { render } from "./views.js";

const MemberPath = z.object({ id: IdText, userId: IdText });

const LABELS: Record<string, string> = {
  name: "Name",
  member: "Add a member",
  currency: "Currency",
};
const keyOf = (f: string) =>
  f === "name" || f === "currency" ? f : f === "userid" ? "member" : null;

/**
 * Group settings: rename, the simplify switch, adding and removing members, archiving. A refusal
 * (a member who still has a balance: 409) is the page again with a message saying what to do.
 */
export const groupSettingsPages = (ctx: AppContext) => async (scope: FastifyInstance) => {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: number,
    opts: { values?: GroupSettingsView["values"]; issues?: FieldIssue[]; status?: number } = {},
  ) => {
    const me = requireActor(request).userId;
    const group = await getGroup(ctx, groupId, me);
    const known = await peopleOf(ctx, me);
    const inGroup = new Set(group.members.map((m) => m.userId));
    const { errors, summary } = placeIssues(opts.issues ?? [], keyOf, (k) => LABELS[k] ?? k);
    return render(
      request,
      reply,
      ctx,
      "group-settings",
      {
        title: `${group.name}: settings`,
        nav: "groups",
        id: group.id,
        name: group.name,
        archived: group.archivedAt !== null,
        values: opts.values ?? {
          name: group.name,
          simplify: group.simplifyDebts,
          currency: group.currency,
        },
        currencies: currencyOptions(),
        members: group.members.map((m) => ({ id: m.userId, name: m.name, you: m.userId === me })),
        candidates: known
          .filter((p) => !inGroup.has(p.id))
          .map((p) => ({ id: p.id, name: p.name })),
        errors,
        summary,
      },
      opts.status ?? 200,
    );
  };

  /** A refused change: the settings page again with the message (status from the shared table). */
  const refused = (
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: number,
    err: unknown,
    message?: string,
  ) => {
    if (!(err instanceof Conflict || err instanceof RuleViolation)) throw err;
    const failed = formFailure(err, reply);
    // The service's 409 in words the page's reader can act on; other refusals as they come.
    const issues = message && err instanceof Conflict ? [{ field: "", message }] : failed.issues;
    return show(request, reply, groupId, { issues, status: failed.status });
  };

  app.get("/groups/:id/settings", { schema: { params: IdPath } }, async (request, reply) =>
    show(request, reply, request.params.id),
  );

  app.post("/groups/:id/settings", { schema: { params: IdPath } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const id = request.params.id;
    const form = formOf(request.body);
    const values = {
      name: one(form, "name").trim(),
      simplify: many(form, "simplify").includes("1"),
      currency: currencyOfForm(one(form, "currency")),
    };
    // Sent only when changed: a group with history keeps its currency (409), not its name.
    const current = (await getGroup(ctx, id, me)).currency;
    const parsed = GroupChangesBody.safeParse({
      name: values.name,
      simplify_debts: values.simplify,
      ...(values.currency && values.currency !== current ? { currency: values.currency } : {}),
    });
    if (!parsed.success)
      return show(request, reply, id, { values, issues: zodIssues(parsed.error), status: 422 });
    try {
      await updateGroupSettings(ctx, id, parsed.data, me);
    } catch (err) {
      return refused(request, reply, id, err);
    }
    return redirectWithFlash(request, reply, `/app/groups/${id}/settings`, "group-saved");
  });

  app.post("/groups/:id/members", { schema: { params: IdPath } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const id = request.params.id;
    const userId = idOf(one(formOf(request.body), "userid"));
    if (Number.isNaN(userId))
      return show(request, reply, id, {
        issues: [{ field: "userid", message: "choose someone to add" }],
        status: 422,
      });
    let added: boolean;
    try {
      added = (await addGroupMember(ctx, id, userId, me)).added;
    } catch (err) {
      return refused(request, reply, id, err);
    }
    const flash = added ? "member-added" : "member-already";
    return redirectWithFlash(request, reply, `/app/groups/${id}/settings`, flash);
  });

  app.post(
    "/groups/:id/members/:userId/remove",
    { schema: { params: MemberPath } },
    async (request, reply) => {
      const me = requireActor(request).userId;
      const { id, userId } = request.params;
      const group = await getGroup(ctx, id, me);
      const who = group.members.find((m) => m.userId === userId);
      try {
        await removeGroupMember(ctx, id, userId, me);
      } catch (err) {
        const name = userId === me ? "You" : (who?.name ?? "They");
        return refused(
          request,
          reply,
          id,
          err,
          `${name} still ${userId === me ? "have" : "has"} a balance in this group: settle up first`,
        );
      }
      if (userId === me) return redirectWithFlash(request, reply, "/app", "group-left");
      return redirectWithFlash(request, reply, `/app/groups/${id}/settings`, "member-removed");
    },
  );

  app.post("/groups/:id/archive", { schema: { params: IdPath } }, async (request, reply) => {
    const me = requireActor(request).userId;
    const id = request.params.id;
    try {
      await archiveGroupById(ctx, id, me);
    } catch (err) {
      return refused(
        request,
        reply,
        id,
        err,
        "Someone in this group still has a balance: everyone must settle up before it can be archived",
      );
    }
    return redirectWithFlash(request, reply, `/app/groups/${id}`, "group-archived");
  });
};
