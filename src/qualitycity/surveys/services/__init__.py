"""Every state change of the surveys app (one writer; each writes its audit event)."""

from .analysis import estimate_project, review_response, screen_project
from .collection import import_responses, record_batch, submit_interview, submit_web
from .design import set_design, set_margins
from .projects import create_project, issue_tokens, set_questionnaire, set_status
from .release import submit_for_publication

__all__ = [
    "create_project", "set_questionnaire", "set_status", "issue_tokens", "set_design", "set_margins",
    "submit_web", "submit_interview", "import_responses", "record_batch",
    "screen_project", "review_response", "estimate_project", "submit_for_publication",
]
