from django.urls import path

from .views import progress, registrations, targets

app_name = "targets"

urlpatterns = [
    path("", targets.target_list, name="list"),
    path("new/<int:unit_pk>/", targets.target_create, name="create"),
    path("import/<int:unit_pk>/", targets.target_import, name="import"),
    path("<int:pk>/", targets.target_detail, name="detail"),
    path("<int:pk>/edit/", targets.target_edit, name="edit"),
    path("<int:pk>/allocate/", targets.target_allocate, name="allocate"),
    path("<int:pk>/share/", targets.target_share, name="share"),
    path("<int:pk>/table/", targets.target_table, name="table"),
    path("<int:pk>/union-table/", targets.union_table, name="union_table"),
    path("progress/<int:unit_pk>/", progress.progress, name="progress"),
    path("registrations/", registrations.registration_list, name="registration_list"),
    path("registrations/eligible/", registrations.eligible, name="eligible"),
    path(
        "registrations/new/<int:household_pk>/", registrations.registration_create, name="registration_create"
    ),
    path("registrations/<int:pk>/", registrations.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/edit/", registrations.registration_edit, name="registration_edit"),
    path("registrations/<int:pk>/help/", registrations.help_add, name="help_add"),
    path("registrations/<int:pk>/help/<int:entry_pk>/delete/", registrations.help_delete, name="help_delete"),
    path("registrations/<int:pk>/propose/", registrations.propose, name="propose"),
    path("registrations/<int:pk>/confirm/", registrations.confirm, name="confirm"),
]
