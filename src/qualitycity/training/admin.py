from django.contrib import admin

from qualitycity.consult.admin_audit import AuditedAdmin

from .models import AnnualTarget, Choice, Course, Lesson, Question


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Course)
class CourseAdmin(AuditedAdmin):
    """Course content (lessons, questions) is edited by staff here; learner records are not."""

    list_display = ["code", "title", "topic", "published"]
    list_filter = ["topic", "published"]
    inlines = [LessonInline, QuestionInline]


@admin.register(Choice)
class ChoiceAdmin(AuditedAdmin):
    list_display = ["question", "text", "correct"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(AuditedAdmin):
    list_display = ["year", "area", "person_times", "people", "enterprises", "completions"]
