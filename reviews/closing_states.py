"""The states of a closing review, apart from the models so the workflow table can name them.

Their values never collide with SheetState's: the event timeline and the workflow table hold
both kinds of state in the same columns.
"""

from django.db import models


class ClosingState(models.TextChoices):
    SELF_ASSESSMENT = "closing_self_assessment", "Self-assessment"
    SUPERVISOR_ASSESSMENT = "closing_supervisor_assessment", "Supervisor assessment"
    CALIBRATION = "closing_calibration", "Calibration"
    SUPERVISOR_SIGNATURE = "closing_supervisor_signature", "Closing: supervisor signature"
    EMPLOYEE_SIGNATURE = "closing_employee_signature", "Closing: employee signature"
    HR_REVIEW = "closing_hr_review", "Closing: HR review"
    CLOSED = "closed", "Closed"
