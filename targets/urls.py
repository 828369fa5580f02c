from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.target_list, name="list"),
    path("new/<int:unit_pk>/", views.target_create, name="create"),
    path("import/<int:unit_pk>/", views.target_import, name="import"),
    path("<int:pk>/", views.target_detail, name="detail"),
    path("<int:pk>/edit/", views.target_edit, name="edit"),
    path("<int:pk>/allocate/", views.target_allocate, name="allocate"),
    path("<int:pk>/share/", views.target_share, name="share"),
    path("<int:pk>/table/", views.target_table, name="table"),
    path("<int:pk>/union-table/", views.union_table, name="union_table"),
    path("progress/<int:unit_pk>/", views.progress, name="progress"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/eligible/", views.eligible, name="eligible"),
    path("registrations/new/<int:household_pk>/", views.registration_create, name="registration_create"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path("registrations/<int:pk>/help/", views.help_add, name="help_add"),
    path("registrations/<int:pk>/help/<int:entry_pk>/delete/", views.help_delete, name="help_delete"),
    path("registrations/<int:pk>/propose/", views.propose, name="propose"),
    path("registrations/<int:pk>/confirm/", views.confirm, name="confirm"),
]
