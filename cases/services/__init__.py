"""Case engine writes. Every one owns its transaction, locks the case, re-checks its state,
records the step on the timeline and in the audit trail (Art. 38), and enqueues side effects
only on commit. See cases/__init__.py for the interface other apps use."""

from cases.services.catalogue import MaterialSpec, service_item_define
from cases.services.decisions import (
    approval_level_for,
    approval_levels,
    decision_approve,
    decision_propose,
    decision_return,
    remedy_notice_text,
)
from cases.services.filing import ProxyInput, case_file, proxy_authorisation_record
from cases.services.materials import material_add, material_check
from cases.services.notifications import notifications_mark_read
from cases.services.special import (
    assistance_for,
    assistance_mark,
    home_visit_arrange,
    home_visit_complete,
)
from cases.services.sweep import case_deadlines_sweep, cases_recompute_for_year
from cases.services.workflow import (
    case_accept,
    case_assign,
    case_claim,
    case_close,
    case_reject,
    case_review_start,
    case_withdraw,
    supplement_receive,
    supplement_request,
)

__all__ = [
    "MaterialSpec",
    "ProxyInput",
    "approval_level_for",
    "approval_levels",
    "assistance_for",
    "assistance_mark",
    "case_accept",
    "case_assign",
    "case_claim",
    "case_close",
    "case_deadlines_sweep",
    "case_file",
    "case_reject",
    "case_review_start",
    "case_withdraw",
    "cases_recompute_for_year",
    "decision_approve",
    "decision_propose",
    "decision_return",
    "home_visit_arrange",
    "home_visit_complete",
    "material_add",
    "material_check",
    "notifications_mark_read",
    "proxy_authorisation_record",
    "remedy_notice_text",
    "service_item_define",
    "supplement_receive",
    "supplement_request",
]
