from tests.scope import ALL_PERSONAS, SEES_A, Case

CASES = [
    # The unit browser redirects a one-unit user to their unit; a user with no unit gets 403.
    Case("units:browse", get=ALL_PERSONAS - {"nobody"}),
    Case("units:search", get=ALL_PERSONAS, query="q=an"),
    Case("units:detail", kwargs=lambda w: {"pk": w.A.pk}, get=SEES_A),
    Case(
        "units:village_create",
        kwargs=lambda w: {"pk": w.A.pk},
        post=frozenset({"officer_a", "admin_p", "national_admin"}),
        post_data=lambda w: {"name": "Thôn Mới", "kind": "thon"},
    ),
]
