"""Benefits: claims and their decisions, awards, the monthly payment run, stopping and
suspending, overpayment recovery (Regulations on Social Insurance Handling Arts. 18-26, 44, 46,
52, 55; benefit-rules.md).

Public interface for other apps
===============================

Awards (benefits.services.awards; eligibility calls these). `by=None` means the system (an
automated re-check); a person needs the permission benefits.hold_award. Each is one transaction,
audited, and locks the award first::

    award_hold(award_id=, reason=, evidence="", by=) -> AwardHold
        Payments are still built by the run but held, not sent (Art. 26: held, not stopped).
    award_hold_release(hold_id=, note="", by=) -> AwardHold
        When no hold or suspension remains, held and bank-returned payments go into the next
        run's bank file.
    award_suspend(award_id=, reason=, evidence="", by=) -> AwardHold
        Art. 25: a stop event is reported and being verified; status SUSPENDED, payments held.
    award_resume(award_id=, note="", by=) -> Award
        The suspension ends; the months held meanwhile are paid in the next run (arrears).
    award_stop(award_id=, stop_date=, cause=, by=, evidence="", reported_on=None) -> StopResult
        Art. 25: stops from the event date. Later months not yet sent are cancelled; months
        already sent or paid become an overpayment Debt automatically (its periods listed;
        cause LATE_REPORT when reported after event date + 20 working days). StopResult has
        .award, .debt (or None), .cancelled_payments, .report_deadline, .reported_late.
    person_awards_stop(person_id=, stop_date=, cause=, by=, ...) -> list[StopResult]
        Every active or suspended award of the person (a verified death).

A month is due when it began on or before the stop date (died 2025-03-05: March due, April on
overpaid; benefit-rules.md (i)).

Overpayments (benefits.services.debts): debt_record (an overpayment found otherwise),
debt_repayment_order (the letter), debt_repayment_record, debt_instalments_agree,
debt_offset_benefit_start / _stop (the payment run deducts, capped by policy offset_cap_ratio /
offset_cap_amount), debt_offset_account (registration's account_post), debt_write_off,
fraud_referral_record / fraud_referral_outcome_record (Arts. 44, 55: the department decides
fines, never the agency), instalments_follow_up (the daily beat task).

Claims (benefits.services.claims): claim_file files the case with the case engine under the
catalogue's item code (ITEM_CODES), claim_accept, claim_calculate (DecisionCalculation: rule
version, input snapshot, policy figures, steps, amounts), claim_decision_propose /
claim_decision_approve / claim_decision_return (the case engine's maker-checker). The
engine's on_decided call-back creates the awards.

Payment runs (benefits.services.runs, .bankfile): payment_run_start (one per region and month;
PaymentRunExistsError 409), payment_run_resume, payment_run_rerun, payment_run_approve (not
the starter), payment_run_release (the bank file; layout in benefits.services.bankfile),
reconciliation_import.

Reads (benefits.selectors): awards_for_person (registration's rights record), payment_state,
and the regional figures (pension_policy_get, unemployment_policy_get, ...). Tables for
set-based reads: Award, Payment, PaymentRun (read only: writes go through the services).
"""
