from django.urls import path

from registration import api, api_people, views, views_applications

app_name = "registration"
urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/<int:employer_id>/", views.employer_detail, name="employer_detail"),
    path("search/", views.search, name="search"),
    path("persons/<int:person_id>/", views.person_detail, name="person_detail"),
    path("persons/<int:person_id>/record/", views.rights_record, name="rights_record"),
    path("persons/<int:person_id>/record.pdf", views.rights_record_pdf, name="rights_record_pdf"),
    path("my-record/", views.my_record, name="my_record"),
    path("discrepancies/", views.discrepancy_list, name="discrepancy_list"),
    path(
        "discrepancies/<int:discrepancy_id>/resolve/",
        views.discrepancy_resolve,
        name="discrepancy_resolve",
    ),
    # The employer portal (增员 / 减员)
    path("portal/", views.portal_employees, name="portal_employees"),
    path("portal/add/", views.portal_employee_add, name="portal_employee_add"),
    path("portal/<int:employment_id>/end/", views.portal_employment_end, name="portal_end"),
    path("portal/<int:employment_id>/base/", views.portal_base_change, name="portal_base"),
    path("portal/uploads/", views.portal_upload, name="portal_upload"),
    path("portal/uploads/<int:upload_id>/", views.portal_upload_detail, name="upload_detail"),
    path(
        "portal/uploads/<int:upload_id>/status/",
        views.portal_upload_status,
        name="upload_status",
    ),
    path(
        "portal/uploads/<int:upload_id>/errors.csv",
        views.portal_upload_errors_csv,
        name="upload_errors_csv",
    ),
    path("portal/templates/<str:kind>.csv", views.portal_template_csv, name="upload_template"),
    path("portal/change/", views_applications.employer_change, name="portal_change"),
    path("portal/cancel/", views_applications.employer_cancel, name="portal_cancel"),
    path("apply/employer/", views_applications.employer_apply, name="employer_apply"),
    path(
        "apply/employer/check-code/",
        views_applications.employer_apply_check_code,
        name="employer_apply_check_code",
    ),
    path("persons/register/", views_applications.person_register_counter, name="person_register"),
]

api_urlpatterns = [
    path("employers", api.EmployerCollectionApi.as_view(), name="employers"),
    path(
        "employers/<int:employer_id>/employees",
        api_people.EmployeeCollectionApi.as_view(),
        name="employer-employees",
    ),
    path(
        "employers/<int:employer_id>/employees/end",
        api_people.EmployeeEndApi.as_view(),
        name="employer-employees-end",
    ),
    path(
        "employers/<int:employer_id>/employees/base",
        api_people.EmployeeBaseApi.as_view(),
        name="employer-employees-base",
    ),
    path(
        "employers/<int:employer_id>/arrears",
        api_people.ArrearsApi.as_view(),
        name="employer-arrears",
    ),
    path("persons", api_people.PersonCollectionApi.as_view(), name="persons"),
    path(
        "contributions/batches",
        api_people.ContributionBatchApi.as_view(),
        name="contribution-batches",
    ),
    path(
        "contributions/batches/<str:batch_id>",
        api_people.ContributionBatchDetailApi.as_view(),
        name="contribution-batch",
    ),
    path("shared-records", api_people.SharedRecordApi.as_view(), name="shared-records"),
]
