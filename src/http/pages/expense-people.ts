import type { FastifyReply, FastifyRequest } from "fastify";
import type { FieldIssue } from "../../domain/errors.js";
import type { AppContext } from "../../services/context.js";
import { addFriend } from "../../services/friends.js";
import { befriendByEmail, knownNames, peopleOf } from "../../services/people.js";
import type { AuthRateLimits } from "../auth/rate-limits.js";
import { AddFriendBody } from "../schemas/friends.js";
import { EmailLookup } from "../schemas/users.js";
import { formFailure } from "./error-pages.js";
import type { Submitted } from "./expense-form.js";
import { fieldIssues, zodIssues } from "./forms.js";
import type { FormPerson } from "./views.js";

export const UNKNOWN_EMAIL =
  "nobody uses this email yet: give their name below and choose “Invite and add” to invite them";

/** What "Add someone by exact email" did: a new ticked row (and a note), or why not. */
export interface Addition {
  issues: FieldIssue[];
  notice: string | null;
  added: boolean;
}

/**
 * "Add someone by exact email" on the expense form. A known address makes the person your friend
 * (as POST /friends does); an unknown one offers an invitation, and with a name given it invites
 * them (as POST /friends {email, name} does: an account to claim, a mail with the link). Either
 * way they join the form as a ticked row; the form comes back unsaved, because a new participant
 * changes the split.
 */
export async function addPersonFromForm(
  ctx: AppContext,
  limits: AuthRateLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  me: number,
  s: Submitted,
  action: string,
): Promise<Addition> {
  const none: Addition = { issues: [], notice: null, added: false };
  const email = s.view.email;
  const name = (s.view.invite_name ?? "").trim();
  const add = (id: number, notice: string): Addition => {
    s.rows.push(id);
    s.checked.add(id);
    s.view.email = "";
    s.view.invite_name = "";
    s.view.invite = false;
    return { issues: [], notice, added: true };
  };
  if (!email) {
    if (action === "add_person" || action === "invite_person")
      return {
        ...none,
        issues: [{ field: "email", message: "enter the email of the person to add" }],
      };
    return none;
  }
  const typed = EmailLookup.safeParse(email);
  if (!typed.success) return { ...none, issues: fieldIssues(typed.error, "email") };
  const found = await befriendByEmail(ctx, me, typed.data);
  if (found) return add(found.id, `Added ${found.name}. Check the split, then save.`);
  s.view.invite = true;
  // The name field is offered once the address is known to be nobody's; filling it invites.
  // Asked for by "Add person", that is an offer, not an error; on "Save" it stops the save.
  if (!name && action === "add_person")
    return {
      ...none,
      notice: `Nobody uses ${email} yet. Give their name below and choose “Invite and add” to invite them and add them to this expense.`,
    };
  if (!name && action !== "invite_person")
    return { ...none, issues: [{ field: "email", message: UNKNOWN_EMAIL }] };
  const body = AddFriendBody.safeParse({ email, name });
  if (!body.success)
    return {
      ...none,
      issues: zodIssues(body.error).map((i) =>
        i.field === "name" && !name ? { ...i, message: "give their name to invite them" } : i,
      ),
    };
  try {
    await limits.beforeInvite(request.ip, me);
    const { friend } = await addFriend(ctx, me, body.data);
    return add(
      friend.id,
      `Invited ${friend.name}: a mail with a link to join is on its way. Check the split, then save.`,
    );
  } catch (err) {
    return { ...none, issues: formFailure(err, reply).issues };
  }
}

/**
 * The people a form offers: you first, then everyone you know, then extras (`?with=`, re-posted
 * rows, an edited expense's people) — but only extras you know, e.g. a deactivated participant of
 * the expense being edited. Anyone else is dropped unnamed, so an id reveals nothing.
 */
export async function formPeople(
  ctx: AppContext,
  me: number,
  extraIds: number[],
  checked: Set<number>,
  shareText: (id: number) => string,
  paidText: (id: number) => string = () => "",
  first: number[] = [],
): Promise<FormPerson[]> {
  const contacts = await peopleOf(ctx, me);
  const listed = new Set([me, ...contacts.map((c) => c.id)]);
  const extras = [...new Set(extraIds.filter((id) => Number.isSafeInteger(id) && !listed.has(id)))];
  const names = await knownNames(ctx, me, [me, ...extras]);
  const everyone = [
    { id: me, name: names.get(me) ?? "You" },
    ...contacts,
    ...extras.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id) ?? "" })),
  ];
  // `first` (an expense's people in its stored order, or the order a re-shown form had) leads:
  // the form posts people in page order, and the odd paise go to the first ones, so saving an
  // edit unchanged must list them as the expense does.
  const rank = new Map<number, number>();
  for (const id of first) if (!rank.has(id)) rank.set(id, rank.size);
  const list = everyone
    .map((p, i) => ({ p, key: rank.get(p.id) ?? first.length + i }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.p);
  return list.map((p) => ({
    id: p.id,
    name: p.name,
    you: p.id === me,
    checked: checked.has(p.id),
    value: shareText(p.id),
    paid: paidText(p.id),
  }));
}
