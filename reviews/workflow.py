"""The workflow table: the single source of truth for who may do what to a sheet in which state.

It covers two documents on the same sheet: the goals (SheetState, from drafting to HR's
signature) and, once the period ends, the closing review (ClosingState, from the employee's
self-assessment to HR's closing signature). Their state values never collide, so one table, one
NEXT_ACTOR and one `require` serve both; roles are always held on the sheet.

Views, buttons, the inbox and the docs read this table; services enforce it under a row lock.
A *transition* moves the sheet to another state; a *step* is work done inside a state (editing
goals, answering one goal, a SMART check) and leaves the state as it is.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from goalsapp.access import (
    employee_of,
    is_hr,
    is_supervisor,
    line_above,
    line_below_ids,
)
from goalsapp.models import GoalSheet, SheetState, joined_one

from .closing_states import ClosingState


class Role(StrEnum):
    SUPERVISOR = "supervisor"
    EMPLOYEE = "employee"
    HR = "hr"
    # Anyone above the employee's supervisor in the line: calibrates ratings there, beside HR.
    MANAGER = "manager"


ROLE_NAMES = {Role.SUPERVISOR: "the employee's supervisor", Role.EMPLOYEE: "the employee",
              Role.HR: "Human Resources", Role.MANAGER: "a manager of the supervisor's line"}


class WorkflowError(Exception):
    """A guard refused the action; the message is a sentence for the user."""


class ActionForbidden(WorkflowError):
    """The user's role may not take this action (answered with 403)."""


class StaleVersion(WorkflowError):
    """The sheet changed after the user loaded it."""

    def __init__(self):
        super().__init__(
            "This sheet changed meanwhile: someone else saved it after you opened it. "
            "You are now looking at the current version."
        )


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    source: SheetState | ClosingState
    actor: Role
    # Empty for a step; the service picks when more than one.
    targets: tuple[SheetState | ClosingState, ...]
    guard: str
    url_name: str  # where the user does it: a step's page or the transition confirmation
    button: str = "btn-primary"
    # For an amendment: the state the new version starts in. The sheet acted on keeps its state
    # (a signed sheet never changes), so the action is not a transition of it, and nobody is
    # waited on for it (NEXT_ACTOR, the inbox and reminders leave it out).
    new_version_in: SheetState | None = None

    @property
    def is_transition(self) -> bool:
        return bool(self.targets)

    @property
    def is_awaited(self) -> bool:
        """Whether the sheet waits on someone to take it (everything but an amendment)."""
        return self.new_version_in is None


S = SheetState
C = ClosingState
# What every signature asks besides its own guard (checked by reviews/esign.py).
E_SIGNATURE = "consent to sign electronically on file and a recent sign-in."
AMEND_GUARD = ("A reason; the version in force (not one already amended); no other amendment "
               "under way. A new version is drafted, answered and signed again; this one stays "
               "signed and locked.")
TABLE: tuple[Action, ...] = (
    Action("edit_goals", "Edit goals", S.DRAFTING, Role.SUPERVISOR, (),
           "Only while drafting; a reply on each goal the employee flagged.", "sheet_edit"),
    Action("send_to_employee", "Send to employee", S.DRAFTING, Role.SUPERVISOR,
           (S.EMPLOYEE_REVIEW,),
           "At least one goal; every goal complete and valid; every flagged goal replied to.",
           "sheet_transition"),
    Action("answer_goal", "Answer goals", S.EMPLOYEE_REVIEW, Role.EMPLOYEE, (),
           "\"Okay\", or \"Needs Clarification\" with a comment.", "sheet_answers"),
    Action("submit_answers", "Submit answers", S.EMPLOYEE_REVIEW, Role.EMPLOYEE,
           (S.DRAFTING, S.SUPERVISOR_SIGNATURE),
           "Every goal answered; back to drafting if any goal needs clarification.",
           "sheet_transition"),
    Action("edit_summary", "Write summary", S.SUPERVISOR_SIGNATURE, Role.SUPERVISOR, (),
           "Estimated total time, action plans and milestones.", "sheet_summary",
           "btn-outline-primary"),
    Action("sign_supervisor", "Sign as supervisor", S.SUPERVISOR_SIGNATURE, Role.SUPERVISOR,
           (S.EMPLOYEE_SIGNATURE,),
           "Summary complete; the typed name matches the signer; " + E_SIGNATURE,
           "sheet_transition"),
    Action("reopen", "Reopen for changes", S.SUPERVISOR_SIGNATURE, Role.SUPERVISOR,
           (S.DRAFTING,), "None.", "sheet_transition", "btn-outline-secondary"),
    Action("sign_employee", "Sign as employee", S.EMPLOYEE_SIGNATURE, Role.EMPLOYEE,
           (S.HR_REVIEW,),
           "The acknowledgement shown and accepted; the typed name matches; " + E_SIGNATURE,
           "sheet_transition"),
    Action("smart_check", "SMART review", S.HR_REVIEW, Role.HR, (),
           "Five criteria per goal, each pass or fail; a note on any fail.", "sheet_smart"),
    Action("return_to_supervisor", "Return to supervisor", S.HR_REVIEW, Role.HR, (S.DRAFTING,),
           "A note saying why; every signature is voided.", "sheet_transition",
           "btn-outline-danger"),
    Action("sign_hr", "Sign for HR", S.HR_REVIEW, Role.HR, (S.SIGNED,),
           "Every goal passes all five criteria; the earlier signatures match the content; "
           + E_SIGNATURE,
           "sheet_transition"),
    # Goals change mid-year: a signed sheet is amended by a new version that goes through the
    # whole table again. The supervisor or HR may start it; two rows, one actor each.
    *(Action("amend", "Start an amendment", S.SIGNED, actor, (), AMEND_GUARD, "sheet_amend",
             "btn-outline-primary", new_version_in=S.DRAFTING)
      for actor in (Role.SUPERVISOR, Role.HR)),
    # The closing review (docs/closing.md) --------------------------------------------------
    Action("self_assess", "Write self-assessment", C.SELF_ASSESSMENT, Role.EMPLOYEE, (),
           "A few words on each goal and overall.", "closing_self_assessment"),
    Action("submit_self_assessment", "Submit self-assessment", C.SELF_ASSESSMENT, Role.EMPLOYEE,
           (C.SUPERVISOR_ASSESSMENT,), "A self-assessment on every goal and overall.",
           "closing_transition"),
    Action("assess", "Write assessment", C.SUPERVISOR_ASSESSMENT, Role.SUPERVISOR, (),
           "An assessment per goal and overall, a proposed rating; a reason for every grade "
           "overridden.", "closing_assessment"),
    Action("submit_assessment", "Submit assessment", C.SUPERVISOR_ASSESSMENT, Role.SUPERVISOR,
           (C.CALIBRATION,),
           "An assessment on every goal and overall; a proposed rating on the active scale.",
           "closing_transition"),
    Action("release_for_signatures", "Release for signatures", C.CALIBRATION, Role.HR,
           (C.SUPERVISOR_SIGNATURE,), "A rating stands (proposed, or adjusted in calibration).",
           "closing_transition"),
    # Calibration (docs/calibration.md): HR, and a manager for their line, adjust the rating that
    # stands, each time with a reason; neither is the next step, which stays HR's release.
    Action("adjust_rating", "Adjust rating", C.CALIBRATION, Role.HR, (),
           "A level on the active scale other than the current one, and a reason.",
           "closing_adjust_rating", "btn-outline-primary"),
    Action("adjust_rating", "Adjust rating", C.CALIBRATION, Role.MANAGER, (),
           "A level on the active scale other than the current one, and a reason.",
           "closing_adjust_rating", "btn-outline-primary"),
    Action("sign_closing_supervisor", "Sign closing as supervisor", C.SUPERVISOR_SIGNATURE,
           Role.SUPERVISOR, (C.EMPLOYEE_SIGNATURE,),
           "The typed name matches the signer; " + E_SIGNATURE, "closing_transition"),
    Action("sign_closing_employee", "Sign closing as employee", C.EMPLOYEE_SIGNATURE,
           Role.EMPLOYEE, (C.HR_REVIEW,),
           "The acknowledgement shown and accepted; the typed name matches; " + E_SIGNATURE,
           "closing_transition"),
    Action("return_closing", "Return to supervisor", C.HR_REVIEW, Role.HR,
           (C.SUPERVISOR_ASSESSMENT,), "A note saying why; every closing signature is voided.",
           "closing_transition", "btn-outline-danger"),
    Action("sign_closing_hr", "Sign closing for HR", C.HR_REVIEW, Role.HR, (C.CLOSED,),
           "The earlier closing signatures match the content; " + E_SIGNATURE,
           "closing_transition"),
)

# Who must act next in each state (the inbox, and reminders later, read this).
NEXT_ACTOR: dict[SheetState, Role | None] = {
    S.DRAFTING: Role.SUPERVISOR,
    S.EMPLOYEE_REVIEW: Role.EMPLOYEE,
    S.SUPERVISOR_SIGNATURE: Role.SUPERVISOR,
    S.EMPLOYEE_SIGNATURE: Role.EMPLOYEE,
    S.HR_REVIEW: Role.HR,
    S.SIGNED: None,
    C.SELF_ASSESSMENT: Role.EMPLOYEE,
    C.SUPERVISOR_ASSESSMENT: Role.SUPERVISOR,
    C.CALIBRATION: Role.HR,
    C.SUPERVISOR_SIGNATURE: Role.SUPERVISOR,
    C.EMPLOYEE_SIGNATURE: Role.EMPLOYEE,
    C.HR_REVIEW: Role.HR,
    C.CLOSED: None,
}
# A manager helps calibrate but never holds the next step: the review waits on HR's release.
assert all(NEXT_ACTOR[a.source] == a.actor for a in TABLE
           if a.is_awaited and a.actor != Role.MANAGER), \
    "NEXT_ACTOR disagrees with TABLE"

# Which of the period's due dates the sheet is held to in each state: reminders, escalations and
# the workflow overview all read "overdue" from here.
STAGE_DUE_FIELD: dict[SheetState, str | None] = {
    S.DRAFTING: "goals_due",
    S.EMPLOYEE_REVIEW: "answers_due",
    S.SUPERVISOR_SIGNATURE: "signatures_due",
    S.EMPLOYEE_SIGNATURE: "signatures_due",
    S.HR_REVIEW: "hr_review_due",
    S.SIGNED: None,
    C.SELF_ASSESSMENT: "self_assessments_due",
    C.SUPERVISOR_ASSESSMENT: "assessments_due",
    C.CALIBRATION: "hr_closing_due",
    C.SUPERVISOR_SIGNATURE: "closing_signatures_due",
    C.EMPLOYEE_SIGNATURE: "closing_signatures_due",
    C.HR_REVIEW: "hr_closing_due",
    C.CLOSED: None,
}


def sheet_of(document) -> GoalSheet:
    """The sheet a document belongs to: the sheet itself, or the sheet a closing review closes.
    Roles, visibility and the period are always the sheet's."""
    return document if isinstance(document, GoalSheet) else document.sheet


def stage_due_date(document):
    """The date the document's current stage is due, or None once it is signed (or when the
    period sets no date for that stage)."""
    field = STAGE_DUE_FIELD[document.state]
    return getattr(sheet_of(document).period, field) if field else None


def current_state(sheet: GoalSheet) -> str:
    """Where the sheet's work stands: its closing review's state once it has one, else its
    own. The inbox, reminders and the workflow overview follow this one value."""
    review = getattr(sheet, "closing", None)  # the reverse one-to-one: None when there is none
    return review.state if review is not None else sheet.state


def current_state_expression():
    """current_state as a database expression on GoalSheet (annotate a queryset with it)."""
    return Coalesce(F("closing__state"), F("state"))


def current_document(sheet: GoalSheet):
    """The document the sheet's work is on now: its closing review once it has one."""
    return getattr(sheet, "closing", None) or sheet


STATE_LABELS = {**dict(SheetState.choices), **dict(ClosingState.choices)}
assert len(STATE_LABELS) == len(SheetState) + len(ClosingState), "state values collide"


def state_label(value: str) -> str:
    """A state of either document as people read it."""
    return STATE_LABELS[value]


# What the inbox offers as the next step in each state: the first action the table lists for it.
FIRST_STEP: dict[SheetState, Action] = {}
for _action in TABLE:
    if _action.is_awaited:
        FIRST_STEP.setdefault(_action.source, _action)

# How the timeline words each event.
EVENT_WORDS = {
    "start": "started the sheet",
    "apply_goal_set": "added goals from a goal set",
    "carry_forward": "carried unfinished goals forward from the last closing review",
    "send_to_employee": "sent the goals to the employee",
    "submit_answers": "submitted answers",
    "sign_supervisor": "signed as supervisor",
    "sign_employee": "signed as employee",
    "reopen": "reopened the sheet for changes",
    "return_to_supervisor": "returned the sheet to the supervisor",
    "sign_hr": "signed for HR; the sheet is locked",
    "amend": "started an amendment",
    "open_closing": "opened the closing review",
    "self_assess": "wrote the self-assessment",
    "submit_self_assessment": "submitted the self-assessment",
    "submit_assessment": "submitted the assessment and proposed a rating",
    "override_grade": "overrode a goal's grade",
    "release_for_signatures": "released the closing review for signatures",
    "adjust_rating": "adjusted the rating in calibration",
    "sign_closing_supervisor": "signed the closing review as supervisor",
    "sign_closing_employee": "signed the closing review as employee",
    "return_closing": "returned the closing review to the supervisor",
    "sign_closing_hr": "signed the closing review for HR; it is locked",
}

SIGNATURE_ROLE = {"sign_supervisor": Role.SUPERVISOR, "sign_employee": Role.EMPLOYEE,
                  "sign_hr": Role.HR, "sign_closing_supervisor": Role.SUPERVISOR,
                  "sign_closing_employee": Role.EMPLOYEE, "sign_closing_hr": Role.HR}


def signing_action(state: SheetState | ClosingState) -> Action | None:
    """The signature the document waits for in `state`, if any."""
    return next((a for a in TABLE if a.source == state and a.name in SIGNATURE_ROLE), None)


def states_acted_on_by(role: Role) -> list[SheetState | ClosingState]:
    return [state for state, actor in NEXT_ACTOR.items() if actor == role]


# Who holds which role on a sheet ------------------------------------------------------------------
# One rule: the employee is the sheet's employee; the supervisor is the employee's supervisor;
# HR is any member of the HR group who is neither (HR never reviews a sheet they are a party
# to: their own, or one they supervise, which they would sign twice); a manager is anyone above
# the supervisor in the line who has active reports themselves (is_supervisor), whatever else
# they are. Its readers need it in three forms, written here side by side;
# tests/reviews/test_roles.py checks that the three agree for every persona in every state.

def roles_of(user, sheet: GoalSheet) -> set[Role]:
    """The roles `user` holds on `sheet` (the sheet page, its buttons, `require`)."""
    roles: set[Role] = set()
    me = employee_of(user)
    if me is not None and sheet.employee_id == me.pk:
        roles.add(Role.EMPLOYEE)
    if me is not None and sheet.employee.supervisor_id == me.pk:
        roles.add(Role.SUPERVISOR)
    if is_hr(user) and not roles:
        roles.add(Role.HR)
    if (me is not None and not roles & {Role.EMPLOYEE, Role.SUPERVISOR}
            and sheet.employee.supervisor_id is not None and is_supervisor(user)
            and me.pk in line_above(sheet.employee.supervisor)):
        roles.add(Role.MANAGER)
    return roles


def sheets_where_role(user, role: Role) -> Q:
    """The same rule as a condition on GoalSheet: the sheets on which `user` holds `role`
    (the inbox asks it for many sheets in one query)."""
    return role_condition(role, holder_of(user))


class Holder(NamedTuple):
    """What the rule asks of a user: their employee's id (None: no employee record), whether
    they are in HR and whether they have active reports."""

    employee_id: int | None
    is_hr: bool
    is_supervisor: bool


def holder_of(user) -> Holder:
    me = employee_of(user)
    return Holder(me.pk if me is not None else None, is_hr(user), is_supervisor(user))


def role_condition(role: Role, holder: Holder) -> Q:
    """sheets_where_role for a Holder. Only the manager's condition reads the database (the
    line below, as ids); every other one is the employee's id as a value, so a compiled query
    (reviews.selectors) can take it as its argument."""
    me = holder.employee_id
    if role == Role.EMPLOYEE:
        return Q(employee_id=me) if me is not None else Q(pk__in=[])
    if role == Role.SUPERVISOR:
        return Q(employee__supervisor_id=me) if me is not None else Q(pk__in=[])
    if role == Role.MANAGER:
        if me is None or not holder.is_supervisor:
            return Q(pk__in=[])
        # The supervisor is below me, so I am above them (and neither the employee nor they).
        return Q(employee__supervisor_id__in=line_below_ids(me)) & ~Q(employee_id=me)
    if not holder.is_hr:
        return Q(pk__in=[])
    if me is None:
        return Q()
    return ~Q(employee_id=me) & ~Q(employee__supervisor_id=me)


class Parties(NamedTuple):
    """A sheet's parties as user ids (None: no supervisor, or one without a login), and the
    managers above the supervisor. Notices leave the managers out: NEXT_ACTOR never names them."""

    employee_user_id: int | None
    supervisor_user_id: int | None
    manager_user_ids: tuple[int, ...] = ()


def role_holder_ids(parties: Parties, role: Role, hr_user_ids: list[int]) -> list[int]:
    """The same rule as user ids: who holds `role` on a sheet with these parties, given the
    active HR members (notifications and reminders address many sheets at once)."""
    if role == Role.EMPLOYEE:
        return [parties.employee_user_id] if parties.employee_user_id else []
    if role == Role.SUPERVISOR:
        return [parties.supervisor_user_id] if parties.supervisor_user_id else []
    if role == Role.MANAGER:
        party_ids = {parties.employee_user_id, parties.supervisor_user_id}
        return [pk for pk in parties.manager_user_ids if pk not in party_ids]
    party_ids = {parties.employee_user_id, parties.supervisor_user_id}
    return [pk for pk in hr_user_ids if pk not in party_ids]


def require_may_start(user, employee) -> None:
    """Starting a sheet comes before any state, so it is not a row of TABLE: it belongs to the
    employee's supervisor, the role that drafts."""
    me = employee_of(user)
    if me is None or employee.supervisor_id != me.pk:
        raise ActionForbidden(f"Only {ROLE_NAMES[Role.SUPERVISOR]} may start their goal sheet.")


def action_named(name: str) -> list[Action]:
    return [a for a in TABLE if a.name == name]


def actions_for(user, document) -> list[Action]:
    """What `user` may do to `document` (a sheet or its closing review) now; the page's buttons
    are exactly these."""
    roles = roles_of(user, sheet_of(document))
    actions = [a for a in TABLE if a.source == document.state and a.actor in roles]
    if any(a.new_version_in for a in actions) and amendment_refusal(document):
        actions = [a for a in actions if not a.new_version_in]
    return actions


def amendment_of(sheet: GoalSheet) -> GoalSheet | None:
    """The version that amends `sheet`, under way or signed (there is at most one)."""
    return joined_one(sheet, "amendment", lambda: (
        GoalSheet.objects.filter(amends=sheet).only("edition", "state").first()))


def amendment_refusal(sheet: GoalSheet) -> str:
    """Why `sheet` cannot be amended now although it is signed ("" when it can): not once its
    closing review has opened; each version is amended once (the database holds the same rule
    as a unique column), so a second amendment waits for the first, and a version already
    replaced is not the one to amend."""
    if joined_one(sheet, "closing",
                  lambda: GoalSheet.objects.filter(pk=sheet.pk, closing__isnull=False).exists()):
        # The year is being closed on what this version says; a new version would leave the
        # closing review judging goals that are no longer in force.
        return (f"The closing review of version {sheet.edition} has opened, so the year is "
                "being closed on it; it can no longer be amended.")
    amendment = amendment_of(sheet)
    if amendment is None:
        return ""
    if amendment.state == SheetState.SIGNED:
        return (f"Version {sheet.edition} was already replaced by version {amendment.edition}; "
                "amend the version in force.")
    return (f"Version {amendment.edition} of this sheet is already under way; finish it before "
            "starting another amendment.")


def may_open_closing_early(user, sheet: GoalSheet) -> bool:
    """HR opens a closing review before the period ends (the period's end opens it anyway); an
    HR member who is a party to the sheet holds no HR role on it, so another one does."""
    return Role.HR in roles_of(user, sheet)


def closing_amendment_refusal(sheet: GoalSheet) -> str:
    """Why the year cannot close on `sheet` because of an amendment ("" when it may): it closes
    on the version in force with no amendment under way; a replaced version is no longer what
    was agreed, and one being amended is about to be."""
    amendment = amendment_of(sheet)
    if amendment is None:
        return ""
    if amendment.state == SheetState.SIGNED:
        return (f"Version {amendment.edition} replaced this version; close the version in "
                "force instead.")
    return (f"Version {amendment.edition} of this sheet is under way; its closing review opens "
            "once HR has signed it.")


def require(user, document, name: str) -> Action:
    """The action, if `user` may take it on `document` (a sheet or its closing review) in its
    current state; else a clear error."""
    candidates = action_named(name)
    if not candidates:
        raise WorkflowError(f"There is no action called {name!r}.")
    roles = roles_of(user, sheet_of(document))
    # The role comes first: someone who may never take this action hears why (403), whatever
    # the state; someone who may, but not now, hears that the state has moved on.
    if not any(a.actor in roles for a in candidates):
        actors = " or ".join(dict.fromkeys(ROLE_NAMES[a.actor] for a in candidates))
        raise ActionForbidden(
            f"Only {actors} may “{candidates[0].label.lower()}” on this sheet."
        )
    action = next((a for a in candidates if a.source == document.state and a.actor in roles),
                  None)
    if action is None:
        raise WorkflowError(state_refusal(document, name))
    if action.new_version_in and (refusal := amendment_refusal(document)):
        raise WorkflowError(refusal)
    return action


def state_refusal(document, name: str) -> str:
    """The sentence require() gives when the sheet's state rules the action out: read by every
    caller that reports the refusal (a page's message, a skipped employee in a goal set)."""
    candidates = action_named(name)
    if not candidates:
        return f"There is no action called {name!r}."
    noun = "sheet" if isinstance(document, GoalSheet) else "closing review"
    return (f"This {noun} is in {document.get_state_display()}; "
            f"“{candidates[0].label}” is not possible now.")


def waiting_on(user, document) -> bool:
    role = NEXT_ACTOR[document.state]
    return role is not None and role in roles_of(user, sheet_of(document))
