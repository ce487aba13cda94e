from django.urls import path

from .views import assessment, inspections, liaison, others, plans

app_name = "governance"
urlpatterns = [
    path("", plans.index, name="index"),
    path("plans/import/", plans.import_plan, name="import_plan"),
    path("plans/<int:plan_id>/timeline/", plans.timeline, name="timeline"),
    path("plans/<int:plan_id>/chase/", plans.chase, name="chase"),
    path("plans/<int:plan_id>/rounds/", plans.rounds, name="rounds"),
    path("rounds/<int:round_id>/", plans.round_detail, name="round"),
    path("tasks/<int:item_id>/", plans.task_detail, name="task"),
    path("reports/", plans.report_list, name="reports"),
    path("reports/<int:report_id>/", plans.report_detail, name="report"),
    path("rectifications/", plans.rectifications, name="rectifications"),
    path("assessment/", assessment.schemes, name="schemes"),
    path("assessment/<int:scheme_id>/", assessment.scheme_detail, name="scheme"),
    path("assessment/<int:scheme_id>/report.pdf", assessment.scheme_pdf, name="scheme_pdf"),
    path("assessment/results/<int:assessment_id>/", assessment.result_detail, name="result"),
    path("services/", others.service_catalogue, name="services"),
    path("services/import/", others.import_services, name="import_services"),
    path("liaison/", others.liaison_dashboard, name="liaison"),
    path("services/departments/<int:department_id>/", others.service_trend, name="service_trend"),
    path("liaison/tickets/", others.tickets, name="tickets"),
    path("liaison/pair/", liaison.pair, name="liaison_pair"),
    path("liaison/match/", liaison.match, name="liaison_match"),
    path("liaison/pairs/<int:pairing_id>/", liaison.pairing_detail, name="pairing"),
    path("inspections/", others.inspections_page, name="inspections"),
    path("inspections/teams/new/", inspections.team_new, name="team_new"),
    path("inspections/teams/<int:team_id>/", inspections.team_detail, name="team"),
    path("inspections/findings/<int:finding_id>/", inspections.finding_detail, name="finding"),
    path("inspections/bulletin/", others.bulletin, name="bulletin"),
    path("inspections/bulletin.pdf", others.bulletin, {"fmt": "pdf"}, name="bulletin_pdf"),
]
