"""Models of the exam-to-certificate pipeline: exams (plans, sessions, rosters, staff, results), certificates and
the holders' share links."""

from .credentials import *  # noqa: F403
from .exams import *  # noqa: F403
from .issuance import *  # noqa: F403
from .sharing import *  # noqa: F403
