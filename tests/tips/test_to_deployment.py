"""A reviewer turns a tip into a new deployment: the form opens filled in with what the tip
says, and saving it marks the tip handled."""

import pytest

from apps.deployments.models import Deployment
from apps.tips.models import Tip, TipStatus
from tests.factories import AgencyFactory, SourceFactory, TipFactory, sign_in, technology

pytestmark = pytest.mark.django_db

NEW_DEPLOYMENT = "/deployments/new/"


def form_values(form):
    """What a browser sends back for the form as it was shown (files left out)."""
    values = {}
    for field in form:
        if field.name == "new_source_document":
            continue
        value = field.value()
        values[field.name] = "" if value is None else value
    return values


@pytest.fixture
def sheriff():
    return AgencyFactory(name="Washington County Sheriff's Office", region="OR")


@pytest.fixture
def tip(sheriff):
    return TipFactory(
        technology_text="face matching",
        technology=technology("face-recognition"),
        agency_name="washington county sheriff's office",
        region="OR",
        when="2017-05",
        description="The sheriff searches booking photos with a cloud service.",
        source_url="https://news.example.org/sheriff-face-matching",
    )


def test_the_queue_links_each_tip_to_a_prefilled_deployment_form(client, reviewer, tip):
    sign_in(client, reviewer)
    content = client.get("/review/").content.decode()
    assert f'href="{NEW_DEPLOYMENT}?tip={tip.pk}"' in content
    assert "Start a deployment from this tip" in content


def test_the_form_opens_with_what_the_tip_says(client, reviewer, tip, sheriff):
    sign_in(client, reviewer)
    response = client.get(NEW_DEPLOYMENT, {"tip": tip.pk})
    assert response.status_code == 200
    values = form_values(response.context["form"])
    # The tip's agency name matched one agency: picked with its identifier.
    assert values["agency"] == f"{sheriff.name} [{sheriff.slug}]"
    assert values["technology"] == technology("face-recognition").pk
    assert values["summary"] == tip.description
    assert values["start"] == "2017-05"
    # A link not yet in the registry becomes the new source to cite.
    assert values["new_source_url"] == tip.source_url
    assert values["edit_summary"] == f"Added from tip #{tip.pk} from the public"
    content = response.content.decode()
    assert f"Started from tip #{tip.pk}" in content
    assert tip.description in content


def test_a_tip_citing_a_known_source_cites_it(client, reviewer, tip):
    source = SourceFactory(url=tip.source_url)
    sign_in(client, reviewer)
    values = form_values(client.get(NEW_DEPLOYMENT, {"tip": tip.pk}).context["form"])
    assert values["sources"] == source.url
    assert not values["new_source_url"]


def test_what_the_registry_does_not_know_is_left_as_the_tip_wrote_it(client, reviewer):
    tip = TipFactory(
        technology_text="Drones",
        agency_name="Nowhere Police",
        when="since last spring",
        source_url="",
    )
    sign_in(client, reviewer)
    values = form_values(client.get(NEW_DEPLOYMENT, {"tip": tip.pk}).context["form"])
    assert values["agency"] == "Nowhere Police"
    assert values["technology"] == technology("drones").pk  # the sender's words name one
    assert values["start"] == "" and values["new_source_url"] == ""


def test_saving_the_form_records_the_deployment_and_handles_the_tip(client, reviewer, tip):
    sign_in(client, reviewer)
    url = f"{NEW_DEPLOYMENT}?tip={tip.pk}"
    values = form_values(client.get(url).context["form"])
    # The reviewer checks the source and gives what the tip could not: its title, a status.
    values.update(new_source_title="Sheriff uses face matching", status="active")
    response = client.post(url, values)
    assert response.status_code == 302, response.context["form"].errors
    deployment = Deployment.objects.get()
    assert deployment.is_published
    assert deployment.agency.name == "Washington County Sheriff's Office"
    assert deployment.sources.get().url == tip.source_url
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED and tip.handled_by == reviewer
    assert deployment.get_absolute_url() in tip.reviewer_note
    page = client.get(response["Location"]).content.decode()
    assert f"Tip #{tip.pk} marked handled" in page
    assert tip.pk not in [open_tip.pk for open_tip in Tip.objects.open()]


def test_a_form_with_errors_leaves_the_tip_open(client, reviewer, tip):
    sign_in(client, reviewer)
    url = f"{NEW_DEPLOYMENT}?tip={tip.pk}"
    values = form_values(client.get(url).context["form"])
    response = client.post(url, values)  # no title for the new source, no status
    assert response.status_code == 400
    assert Deployment.objects.count() == 0
    assert Tip.objects.get().status == TipStatus.NEW


def test_volunteers_never_see_a_tip_through_the_form(client, volunteer, tip):
    client.force_login(volunteer)
    response = client.get(NEW_DEPLOYMENT, {"tip": tip.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Only reviewers can start a record from a tip" in content
    assert tip.description not in content and tip.source_url not in content
    assert not form_values(response.context["form"])["summary"]


@pytest.mark.parametrize("value", ["abc", "0", "999999", "-1", "²", "9" * 40])
def test_an_unknown_tip_number_is_explained(client, reviewer, value):
    sign_in(client, reviewer)
    response = client.get(NEW_DEPLOYMENT, {"tip": value})
    assert response.status_code == 200
    assert "No tip has the number" in response.content.decode()
    assert not form_values(response.context["form"])["summary"]


def test_other_kinds_ignore_a_tip(client, reviewer, tip):
    sign_in(client, reviewer)
    response = client.get("/agencies/new/", {"tip": tip.pk})
    assert response.status_code == 200
    assert "Started from tip" not in response.content.decode()


def save_from_tip(client, tip):
    url = f"{NEW_DEPLOYMENT}?tip={tip.pk}"
    values = form_values(client.get(url).context["form"])
    values.update(new_source_title="Sheriff uses face matching", status="active")
    return url, values, client.post(url, values)


def test_sending_the_saved_form_again_is_refused_and_records_nothing(client, reviewer, tip):
    """The audit's case: the same form posted twice made a second deployment and said
    nothing."""
    sign_in(client, reviewer)
    url, values, first = save_from_tip(client, tip)
    assert first.status_code == 302
    deployment = Deployment.objects.get()

    again = client.post(url, values)

    assert again.status_code == 409
    assert Deployment.objects.count() == 1
    content = again.content.decode()
    assert f"Tip #{tip.pk} was already handled by {reviewer.public_name}" in content
    assert "Nothing was saved, so it is not recorded twice" in content
    # The note links to what was made of the tip.
    assert f'href="http://testserver{deployment.get_absolute_url()}"' in content
    assert f'href="{NEW_DEPLOYMENT}"' in content
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED
    assert tip.reviewer_note.endswith(deployment.get_absolute_url())


def test_a_handled_tip_does_not_fill_the_form_and_says_what_became_of_it(client, reviewer, tip):
    sign_in(client, reviewer)
    save_from_tip(client, tip)
    deployment = Deployment.objects.get()

    response = client.get(NEW_DEPLOYMENT, {"tip": tip.pk})

    assert response.status_code == 200
    values = form_values(response.context["form"])
    assert not values["summary"] and not values["new_source_url"] and not values["agency"]
    content = response.content.decode()
    assert f"Tip #{tip.pk} was already handled by {reviewer.public_name}" in content
    assert f'href="http://testserver{deployment.get_absolute_url()}"' in content
    assert "The form starts empty" in content
    assert "Started from tip" not in content


def test_a_tip_dismissed_while_its_form_was_open_fills_nothing_and_saves_nothing(
    client, reviewer, tip
):
    from apps.tips.services import tip_dismiss

    sign_in(client, reviewer)
    url = f"{NEW_DEPLOYMENT}?tip={tip.pk}"
    values = form_values(client.get(url).context["form"])
    values.update(new_source_title="Sheriff uses face matching", status="active")
    tip_dismiss(tip_id=tip.pk, reviewer=reviewer, note="A rumour; <b>no</b> source.")

    reopened = client.get(url)
    content = reopened.content.decode()
    assert f"Tip #{tip.pk} was already dismissed by {reviewer.public_name}" in content
    assert "A rumour; &lt;b&gt;no&lt;/b&gt; source." in content
    assert not form_values(reopened.context["form"])["summary"]

    refused = client.post(url, values)
    assert refused.status_code == 409
    assert "Nothing was saved" in refused.content.decode()
    assert Deployment.objects.count() == 0
    assert Tip.objects.get().status == TipStatus.DISMISSED
