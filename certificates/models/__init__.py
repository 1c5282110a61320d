"""Models of the exam-to-certificate pipeline: exams (plans, sessions, rosters, staff, results) and certificates."""

from .credentials import *  # noqa: F403
from .exams import *  # noqa: F403
from .issuance import *  # noqa: F403
