from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("unit/<int:unit>/", views.unit_household_list, name="unit_list"),
    path("unit/<int:unit>/export.xlsx", views.household_export, name="export"),
    path("unit/<int:unit>/new/", views.household_create, name="create"),
    path("unit/<int:unit>/figures/", views.unit_figures, name="unit_figures"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_update, name="update"),
    path("<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/assessments/preview/", views.assessment_preview, name="assessment_preview"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.assessment_update, name="assessment_update"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/withdraw/", views.assessment_withdraw, name="assessment_withdraw"),
    path("assessments/<int:pk>/approve/", views.assessment_approve, name="assessment_approve"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("assessments/to-approve/", views.approval_queue, name="approval_queue"),
    path("assessments/approve-many/", views.approve_many, name="approve_many"),
    path("assessments/mine/", views.my_assessments, name="my_assessments"),
]
