from django.urls import URLPattern, URLResolver, path

from eligibility import api

app_name = "eligibility"
urlpatterns: list[URLPattern | URLResolver] = []

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
