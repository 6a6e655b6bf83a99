from django.urls import URLPattern, URLResolver, path

from benefits import api, api_runs, views, views_clerk

app_name = "benefits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("claims/", views_clerk.claim_list, name="claims"),
    path("claims/new/", views_clerk.claim_new, name="claim_new"),
    path("claims/<int:claim_id>/", views_clerk.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/letter/", views_clerk.claim_letter, name="claim_letter"),
    path("claims/<int:claim_id>/<str:action>/", views_clerk.claim_action, name="claim_action"),
    path("awards/", views_clerk.award_list, name="awards"),
    path("awards/<int:award_id>/", views_clerk.award_detail, name="award_detail"),
    path("awards/<int:award_id>/<str:action>/", views_clerk.award_action, name="award_action"),
    path("payment-runs/", views_clerk.run_list, name="runs"),
    path("payment-runs/<int:run_id>/", views_clerk.run_detail, name="run_detail"),
    path("payment-runs/<int:run_id>/bank-file/", views_clerk.run_file, name="run_file"),
    path("payment-runs/<int:run_id>/<str:action>/", views_clerk.run_action, name="run_action"),
    path("overpayments/", views_clerk.debt_list, name="debts"),
    path("overpayments/<int:debt_id>/", views_clerk.debt_detail, name="debt_detail"),
    path("overpayments/<int:debt_id>/letter/", views_clerk.debt_letter, name="debt_letter"),
    path("overpayments/<int:debt_id>/<str:action>/", views_clerk.debt_action, name="debt_action"),
    path("adjustments/", views_clerk.adjustment_list, name="adjustments"),
    path("estimate/", views.estimate_index, name="estimate_index"),
    path("estimate/retirement/", views.estimate_retirement, name="estimate_retirement"),
    path("estimate/pension/", views.estimate_pension, name="estimate_pension"),
    path("estimate/unemployment/", views.estimate_unemployment, name="estimate_unemployment"),
    path("estimate/work-injury/", views.estimate_work_injury, name="estimate_work_injury"),
    path("estimate/maternity/", views.estimate_maternity, name="estimate_maternity"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("retirement", api.RetirementApi.as_view(), name="retirement"),
    path("estimates/pension", api.PensionEstimateApi.as_view(), name="estimate-pension"),
    path(
        "estimates/unemployment",
        api.UnemploymentEstimateApi.as_view(),
        name="estimate-unemployment",
    ),
    path("estimates/work-injury", api.WorkInjuryEstimateApi.as_view(), name="estimate-work-injury"),
    path("estimates/maternity", api.MaternityEstimateApi.as_view(), name="estimate-maternity"),
    path("payment-runs", api_runs.PaymentRunListApi.as_view(), name="payment-runs"),
    path("payment-runs/<int:run_id>", api_runs.PaymentRunDetailApi.as_view(), name="payment-run"),
    path(
        "payment-runs/<int:run_id>/approve",
        api_runs.PaymentRunApproveApi.as_view(),
        name="payment-run-approve",
    ),
]
