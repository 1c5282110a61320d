"""The access matrix world's supervision objects: a drawn campaign with its inspection, a rectification order, a
complaint, a renewal, a voluntary exit with its wrap-up tasks, an ordered (terminated) exit and a suspension, each
of a Guangzhou organization of its own, made through supervision's services with markers planted in their texts."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings.models import Filing
from portal.models import Province, User
from supervision import services
from supervision.models import ComplaintAttachment, ExitState, FilingExit, Inspection, WrapUpKind
from tests import factories as f
from tests.factories.complaints import complaint_about
from tests.factories.renewals import renewing_filing
from tests.security.world import EXPERT_NOT_ASSIGNED, Scope, World, plant

# The campaign's days: committed on DAY, drawn when the public numbers come out two days later.
DAY = dt.date(2026, 9, 1)
SOURCES = [[9319], [2, 5, 8, 10, 12], [9, 18, 26, 34, 41, 45]]


def _organization(world: World, gd: Province) -> Filing:
    """A Guangzhou filing of an organization of its own, with a member (the owner of its supervision objects)."""
    filing = f.FilingFactory(province=gd, with_scope=True)
    f.the_member(filing.institution)
    plant(world, filing.institution, Scope.PUBLIC, "name")
    return filing


def _campaign(world: World, gd: Province) -> None:
    """A Guangzhou campaign over one organization (its own occupation group), committed and drawn; its inspection
    with a file. The unassigned expert declares a conflict with it, so the draw never makes them its inspector."""
    officer = world.users["provincial_officer"]
    filing = _organization(world, gd)
    group = filing.occupations.get().occupation.code
    services.declare_conflict(gd, acting_user=world.users[EXPERT_NOT_ASSIGNED], institution=filing.institution,
                              reason="亲属在该机构任职")
    campaign = services.create_campaign(
        gd, acting_user=officer, city=filing.city, today=DAY, title="矩阵抽查", occupation_group=group,
        organizations_to_draw=1, inspectors_per_organization=1, exclude_months=0, weighted=False,
        random_source="中国福利彩票双色球开奖号码", random_source_date=DAY + dt.timedelta(days=2),
        inspect_from=DAY + dt.timedelta(days=3), inspect_until=DAY + dt.timedelta(days=60))
    services.publish_commitment(campaign, acting_user=officer, today=DAY)
    campaign = services.draw_campaign(campaign, acting_user=officer, sources=SOURCES, today=DAY + dt.timedelta(days=2))
    world.add("campaign", campaign, Scope.PROVINCE)
    world.add("public_campaign", campaign, Scope.PUBLIC)
    inspection: Inspection = campaign.inspections.get()
    world.add("inspection", inspection, Scope.INSTITUTION, institution=inspection.institution)
    inspector = inspection.assignments.get(replaced_at__isnull=True).inspector
    upload = SimpleUploadedFile("现场记录.png", f.png_bytes(), content_type="image/png")
    record = services.attach_inspection_file(inspection, acting_user=inspector, upload=upload)
    world.add("inspection_file", record, Scope.INSTITUTION, institution=inspection.institution)
    plant(world, campaign, Scope.PUBLIC, "title")  # published with the commitment, before the draw
    plant(world, record, Scope.INSTITUTION, "name")


def _order(world: World, gd: Province) -> None:
    """A rectification order on an organization, answered with a file."""
    filing = _organization(world, gd)
    order = services.open_rectification_order(
        filing, acting_user=world.users["provincial_officer"], source_kind="complaint", source_object=None,
        findings_text="收费未公示", deadline_working_days=10)
    world.add("order", order, Scope.INSTITUTION, institution=filing.institution)
    evidence = SimpleUploadedFile("整改报告.pdf", f.PDF, content_type="application/pdf")
    response = services.answer_order(order, acting_user=f.the_member(filing.institution), text="已公示收费标准",
                                     files=[evidence])
    record = response.files.get()
    world.add("order_file", record, Scope.INSTITUTION, institution=filing.institution)
    plant(world, order, Scope.INSTITUTION, "findings_text")
    plant(world, response, Scope.INSTITUTION, "text")
    plant(world, record, Scope.INSTITUTION, "name")


def _complaint(world: World, gd: Province) -> None:
    """A complaint from the public about an organization, with an attachment."""
    filing = _organization(world, gd)
    complaint, _code = complaint_about(filing)
    # forwarded: the organization sees it (without the complainant's name) and may answer it
    complaint = services.forward_to_organization(complaint, acting_user=world.users["provincial_officer"])
    world.add("complaint", complaint, Scope.INSTITUTION, institution=filing.institution)
    attachment = ComplaintAttachment(complaint=complaint, name="收据.pdf", content_type="application/pdf")
    attachment.file.save("receipt.bin", ContentFile(f.PDF), save=True)
    world.add("complaint_attachment", attachment, Scope.INSTITUTION, institution=filing.institution)
    plant(world, complaint, Scope.INSTITUTION, "text", "complainant_name")
    plant(world, attachment, Scope.INSTITUTION, "name")


def _renewal(world: World, gd: Province) -> None:
    """A renewal opened by the organization inside its window (its filing ends in a month); its filing."""
    today = timezone.localdate()
    filing = renewing_filing(gd, filed_on=today.replace(year=today.year - 3) + dt.timedelta(days=30))
    member = f.the_member(filing.institution)
    plant(world, filing.institution, Scope.PUBLIC, "name")
    renewal = services.start_renewal(filing, acting_user=member)
    world.add("renewal", renewal, Scope.INSTITUTION, institution=filing.institution)
    world.add("renewable_filing", filing, Scope.INSTITUTION, institution=filing.institution)
    # a renewal approved earlier with its letter (approval and the letter's rendering have their own tests)
    earlier = renewing_filing(gd, filed_on=today.replace(year=today.year - 3) + dt.timedelta(days=45))
    approved = services.start_renewal(earlier, acting_user=f.the_member(earlier.institution))
    approved.letter_number = "粤人社续〔2026〕1号"
    approved.letter_pdf.save("letter.pdf", ContentFile(f.PDF), save=True)
    world.add("renewal_with_letter", approved, Scope.INSTITUTION, institution=earlier.institution)
    plant(world, earlier.institution, Scope.PUBLIC, "name")


def _exits(world: World, gd: Province, officer: User) -> None:
    """A voluntary exit in its wrap-up (with its tasks), an ordered exit terminated with its notice, a suspension."""
    filing = _organization(world, gd)
    today = timezone.localdate()
    requested = services.request_voluntary_exit(
        filing, acting_user=f.the_member(filing.institution), exit_on=services.earliest_voluntary_exit(gd, today),
        reason="不再开展评价业务")
    world.add("exit", requested, Scope.INSTITUTION, institution=filing.institution)
    world.add("wrap_up_kind", WrapUpKind.ARCHIVES.value, Scope.SHARED)
    plant(world, requested, Scope.INSTITUTION, "reason")

    ordered_filing = _organization(world, gd)
    evidence = SimpleUploadedFile("替考记录.pdf", f.PDF, content_type="application/pdf")
    ordered = services.order_exit(ordered_filing, acting_user=officer, reason="组织替考", evidence=evidence)
    # its wrap-up over (the wrap-up flow has its own tests): terminated, so its notice is rendered
    FilingExit.objects.filter(pk=ordered.pk).update(state=ExitState.TERMINATED)
    ordered.refresh_from_db()
    services.render_termination_notice(ordered.pk)
    world.add("terminated_exit", ordered, Scope.INSTITUTION, institution=ordered_filing.institution)
    plant(world, ordered, Scope.INSTITUTION, "reason")

    suspended_filing = _organization(world, gd)
    suspension = services.suspend(suspended_filing, acting_user=officer, reason="整改期间暂停",
                                  ends_on=today + dt.timedelta(days=30))
    world.add("suspension", suspension, Scope.INSTITUTION, institution=suspended_filing.institution)
    plant(world, suspension, Scope.INSTITUTION, "reason")


def supervision_objects(world: World, gd: Province) -> None:
    """Every supervision object a URL names, of Guangzhou organizations of their own."""
    _campaign(world, gd)
    _order(world, gd)
    _complaint(world, gd)
    _renewal(world, gd)
    _exits(world, gd, world.users["provincial_officer"])
