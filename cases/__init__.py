"""The case engine: every duty app files its applications here (Arts. 6-24, 29-31, 37-38, 52).

Public interface for other apps
===============================

Filing (cases.services.case_file)::

    from cases.services import ProxyInput, case_file

    case = case_file(
        item_code="unemployment_benefit",        # a code of the service catalogue (ServiceItem)
        channel="counter",                       # cases.models.Channel; the item must offer it
        received_by=agency,                      # the branch that received it (同城通办)
        by=request.user,                         # clerk, employer user, or API client account
        submitted_at=None,                       # raw submission time (default: now)
        applicant_id_number="11010519491231002X", applicant_name="张三",   # a person, or
        employer=employer,                       # an employer (or the employer it came through)
        proxy=ProxyInput(...) or a ProxyAuthorisation,   # 授权代办, recorded on the case
        payload={...},                           # the duty app's own application data
        reference="benefits:claim:42",           # optional: filing twice returns the same case
        priority_reason="military",              # optional PriorityReason: heads every worklist
    )                                            # (Art. 17 ¶2: military transfers first)

It validates the ID number (GB 11643), the channel, the branch's pooling region and the proxy's
scope and validity; computes the receipt date (after settings.OFFICE_HOURS_END or on a rest day:
the next working day) and the deadline in working days (core.calendar; provisional when a year's
holiday notice is missing); and records the step on the timeline and in the audit trail.

Call-backs (cases.handlers)::

    from cases import handlers

    handlers.register(
        "unemployment_benefit",
        on_decided=lambda case, decision: ...,   # inside the deciding transaction
        on_finished=lambda case: ...,            # not accepted, or withdrawn
        validate_payload=lambda payload: ...,    # at filing; raise InvalidInputError
    )

A decision carries `outcome` (granted/denied), `reasons`, `legal_basis`, `amount` (Decimal
yuan; it decides the four-eyes levels through the effective-dated parameters
four_eyes_reviewer_threshold and four_eyes_supervisor_threshold) and the Art. 52 remedy notice.

Worklists order priority cases first, then by deadline (`cases.selectors.WORKLIST_ORDER`).
Reading: `Case.objects.visible_to(user)` is the one scoping rule; `.with_sla(today=, horizon=)`
annotates the SLA status (`cases.clock.sla_dates()` gives both dates); `cases.selectors` has
the worklists. Writes are the functions in `cases.services`, each one transaction, audited.
"""
