"""Reads of feedback and declarations: an organization's received feedback, and its declaration history."""

from django.db.models import QuerySet

from certificates.models import Certificate
from portal.models import Institution

from ..models import CoursePriceDeclaration, EmployerFeedback, EnrolmentDeclaration, TraineeFeedback


def trainee_feedback_of(institution: Institution) -> QuerySet[TraineeFeedback]:
    return (TraineeFeedback.objects.filter(institution=institution)
            .select_related("certificate", "occupation").order_by("-submitted_at", "-id"))


def employer_feedback_of(institution: Institution) -> QuerySet[EmployerFeedback]:
    return (EmployerFeedback.objects.filter(institution=institution)
            .select_related("certificate", "occupation").order_by("-submitted_at", "-id"))


def enrolment_history(institution: Institution) -> QuerySet[EnrolmentDeclaration]:
    return (EnrolmentDeclaration.objects.filter(institution=institution)
            .select_related("occupation", "declared_by").order_by("-declared_at", "-id"))


def price_history(institution: Institution) -> QuerySet[CoursePriceDeclaration]:
    return (CoursePriceDeclaration.objects.filter(institution=institution)
            .select_related("occupation", "declared_by").order_by("-declared_at", "-id"))


def trainee_feedback_for(certificate: Certificate) -> TraineeFeedback | None:
    """The holder's response on this certificate, if any (one per certificate)."""
    return TraineeFeedback.objects.filter(certificate=certificate).first()


def trainee_feedback_by_holder(id_number: str) -> QuerySet[TraineeFeedback]:
    """Every response the holder of this identity number gave, on any of their certificates (their account shows it)."""
    return (TraineeFeedback.objects.filter(certificate__id_number=id_number)
            .select_related("certificate", "institution").order_by("-submitted_at", "-id"))
