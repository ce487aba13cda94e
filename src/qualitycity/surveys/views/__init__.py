"""Pages of the satisfaction surveys (staff, interviewers, respondents and the public)."""
