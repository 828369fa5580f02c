"""Each demo account follows every link it is shown on the real units and demo data
(tests/crawl.py): what a newcomer sees after `make run` answers 200 and reads as Vietnamese."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.crawl import crawl
from units.demo import DEMO_USERS

pytestmark = [pytest.mark.demo, pytest.mark.usefixtures("demo_db")]


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS])
def test_every_page_a_demo_account_can_reach_answers_in_vietnamese(db, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    result = crawl(
        client, limit=150, admin=username == "quantri", per_shape=1 if username == "quantri" else 2
    )
    assert len(result.visited) > 10, result.visited
    assert not result.findings, "\n".join(str(finding) for finding in result.findings)


def test_the_2026_review_in_progress_belongs_to_the_commune_officer(db):
    """canbo.camlo sees their drafts and submissions; the leader's queue names who sent each."""
    from django.urls import reverse

    User = get_user_model()
    officer, leader = Client(), Client()
    officer.force_login(User.objects.get(username="canbo.camlo"))
    leader.force_login(User.objects.get(username="lanhdao.camlo"))
    mine = officer.get(reverse("households:my_assessments"))
    assert mine.status_code == 200
    home = officer.get(reverse("home")).context
    panel = next(p for p in home["panels"] if p.template == "households/_home_officer.html")
    assert panel.context["mine"]["draft"] > 0 and panel.context["mine"]["submitted"] > 0
    queue = leader.get(reverse("households:approval_queue")).content.decode()
    assert "Trần Thị Mai" in queue
