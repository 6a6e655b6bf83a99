from django.urls import URLPattern, URLResolver, path

from eligibility import api, views

app_name = "eligibility"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.suspicion_list, name="suspicions"),
    path(
        "suspicions/<int:suspicion_id>/investigate/",
        views.suspicion_investigate,
        name="suspicion_investigate",
    ),
    path("suspicions/<int:suspicion_id>/hold/", views.suspicion_hold, name="suspicion_hold"),
    path(
        "investigations/<int:investigation_id>/", views.investigation_detail, name="investigation"
    ),
    path(
        "investigations/<int:investigation_id>/commission/",
        views.investigation_commission,
        name="investigation_commission",
    ),
    path(
        "investigations/<int:investigation_id>/conclude/",
        views.investigation_conclude,
        name="investigation_conclude",
    ),
    path(
        "investigations/<int:investigation_id>/approve/",
        views.investigation_approve,
        name="investigation_approve",
    ),
    path(
        "commissions/<int:commission_id>/answer/", views.commission_answer, name="commission_answer"
    ),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/import/", views.feed_import, name="feed_import"),
    path("feeds/<int:batch_id>/", views.feed_batch, name="feed_batch"),
    path("comparison/run/", views.comparison_start, name="comparison_start"),
    path("authentications/", views.authentication_list, name="authentications"),
    path("authentications/record/", views.authentication_record, name="authentication_record"),
    path("authentications/dashboard/", views.authentication_dashboard, name="dashboard"),
    path("notice-duty/", views.notice_list, name="notice"),
    path("credit/", views.credit_list, name="credit"),
    path("reports/counter/", views.report_counter, name="report_counter"),
    path("report/", views.report_public, name="report_public"),
    path("report/received/", views.report_received, name="report_received"),
    path("portal/report/", views.report_employer, name="report_employer"),
    path("portal/verifications/", views.employer_commissions, name="employer_commissions"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "feeds/<str:kind>/batches",
        api.FeedBatchCollectionApi.as_view(),
        name="eligibility-feed-batches",
    ),
    path(
        "feeds/<str:kind>/batches/<int:batch_id>",
        api.FeedBatchDetailApi.as_view(),
        name="eligibility-feed-batch",
    ),
    path("authentications", api.AuthenticationApi.as_view(), name="eligibility-authentications"),
    path(
        "stop-event-reports",
        api.StopEventReportCollectionApi.as_view(),
        name="eligibility-stop-event-reports",
    ),
    path(
        "stop-event-reports/<str:reference>",
        api.StopEventReportDetailApi.as_view(),
        name="eligibility-stop-event-report",
    ),
]
