"""The cause catalogue: the shared slugs, unchanged, each with its words in one place."""
import re

import pytest

from case_files import ROOT, SHARED
from gradtrace.catalogue import CAUSES

SHARED_CATALOGUE = SHARED / "docs" / "causes.md"


def shared_slugs() -> list[str]:
    return re.findall(r"^\| `([a-z_]+)` \|", SHARED_CATALOGUE.read_text(), re.MULTILINE)


def test_every_shared_slug_is_in_the_catalogue():
    if not SHARED_CATALOGUE.exists():
        pytest.skip(f"the shared catalogue is not here ({SHARED_CATALOGUE})")
    slugs = shared_slugs()
    assert len(slugs) >= 19, f"could not read the slugs of {SHARED_CATALOGUE}"
    assert set(slugs) <= set(CAUSES)


@pytest.mark.parametrize("slug", sorted(CAUSES))
def test_each_cause_says_what_why_and_fix(slug):
    cause = CAUSES[slug]
    assert cause.slug == slug
    assert cause.severity in ("error", "warning")
    for text in (cause.title, cause.what, cause.why, cause.fix):
        assert text.strip()


@pytest.mark.parametrize("slug", sorted(CAUSES))
def test_cause_page_has_its_sections(slug):
    page = CAUSES[slug].page()
    assert page.startswith(f"# {slug}: ")
    for heading in ("## What happened", "## Why it breaks gradients", "## Fix"):
        assert heading in page


def test_committed_docs_match_the_catalogue():
    from gradtrace.docs import pages

    docs = ROOT / "docs"
    for relative, text in pages().items():
        path = docs / relative
        assert path.exists() and path.read_text() == text, \
            f"{path} is stale: run `python -m gradtrace.docs`"
