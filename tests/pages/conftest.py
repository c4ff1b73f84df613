import pytest

from pages.defaults import add_default_pages
from pages.models import Page


@pytest.fixture(autouse=True)
def footer_pages(db):
    """The footer's pages as the data migration made them: a transactional test run earlier
    empties every table when it ends, those of data migrations included."""
    add_default_pages(Page)
