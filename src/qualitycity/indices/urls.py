from django.urls import path

from .views import data, editor, results

app_name = "indices"
urlpatterns = [
    path("", editor.index, name="index"),
    path("sources/", editor.sources_page, name="sources"),
    path("methods/", editor.methods_page, name="methods"),
    path("new/", editor.framework_new, name="framework_new"),
    path("f/<int:pk>/", editor.framework_detail, name="framework"),
    path("f/<int:pk>/groups/<int:gid>/", editor.update_group, name="group_update"),
    path("f/<int:pk>/groups/<int:gid>/delete/", editor.delete_group, name="group_delete"),
    path("f/<int:pk>/indicators/<int:ind_id>/delete/", editor.delete_indicator, name="indicator_delete"),
    path("f/<int:pk>/districts/", editor.district_groups, name="district_groups"),
    path("f/<int:pk>/options/", editor.update_options, name="options"),
    path("f/<int:pk>/groups/", editor.add_group, name="add_group"),
    path("f/<int:pk>/indicators/new/", editor.indicator_form, name="indicator_new"),
    path("f/<int:pk>/indicators/<int:ind_id>/", editor.indicator_form, name="indicator_edit"),
    path("f/<int:pk>/ahp/", editor.ahp_overview, name="ahp"),
    path("f/<int:pk>/ahp/open/", editor.ahp_open, name="ahp_open"),
    path("ahp/<int:qid>/", editor.ahp_respond, name="ahp_respond"),
    path("f/<int:pk>/data/<int:year>/", data.grid, name="data"),
    path("f/<int:pk>/data/<int:year>/save/", data.save_grid, name="data_save"),
    path("f/<int:pk>/data/<int:year>/import/", data.import_values, name="data_import"),
    path("f/<int:pk>/data/<int:year>/template.xlsx", data.template_xlsx, name="data_template"),
    path("f/<int:pk>/data/<int:year>/platform/", data.fill_platform, name="data_platform"),
    path("f/<int:pk>/quality/<int:year>/", data.quality, name="quality"),
    path("f/<int:pk>/compute/", data.compute_year, name="compute"),
    path("r/<str:number>/", results.result_detail, name="result"),
    path("r/<str:number>/publish/", results.publish, name="publish"),
    path("r/<str:number>/report.pdf", results.result_pdf, name="result_pdf"),
    path("public/", results.public_list, name="public_list"),
    path("public/<str:number>/", results.public_detail, name="public"),
    path("public/<str:number>/report.pdf", results.public_pdf, name="public_pdf"),
    path("public/<str:number>/v<int:version>/", results.public_detail, name="public_version"),
]
