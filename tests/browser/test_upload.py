"""Uploading a dataset as a person does it in the browser: a ZIP chosen in the Data page's
uploader, kept by name, then opened from its `?dataset=` link in a second browser context (the
presenter's projector window) in presenter mode, and still there after a reload."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import (
    RUN_TIMEOUT_MS,
    SAMPLE_DIR,
    VIEWPORT,
    Sealed,
    leaves_machine,
    open_app,
    rerun,
    wait_for_app,
    watch_runs,
)

WALES_PROVIDER = "Afon Valleys Employment Services"
SAMPLE_PROVIDER = "Heartwood Employment Partnership"


@pytest.fixture(scope="module")
def wales_zip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from insight.sample.synthetic import write_sample

    folder = tmp_path_factory.mktemp("wales-upload")
    write_sample(folder, 3_000, 5, preset="wales", fmt="csv")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in Path(folder).iterdir():
            if path.is_file():
                archive.write(path, f"wales/{path.name}")
    return out.getvalue()


@pytest.fixture(scope="module")
def upload_server(streamlit_server):
    """A server of its own, so the dataset kept here is in no other test's state folder."""
    return streamlit_server("upload", SAMPLE_DIR)


def test_upload_a_zip_keep_it_and_open_it_from_a_link_in_presenter_mode(
    sealed: Sealed, upload_server, wales_zip: bytes
) -> None:
    page = sealed.page
    open_app(page, upload_server, path="data")
    main = page.get_by_test_id("stMain")
    assert SAMPLE_PROVIDER in main.inner_text()
    # one box for either kind: the size limit it shows is the one the page states (issue 29)
    box = main.get_by_test_id("stFileUploader").first
    assert "500MB per file" in box.inner_text()
    assert "each file up to 500 MB" in main.inner_text()
    rerun(
        page,
        lambda: box.locator('input[type="file"]').set_input_files(
            files=[{"name": "wales.zip", "mimeType": "application/zip", "buffer": wales_zip}]
        ),
    )
    wait_for_app(page)
    assert "Recognised: a contract dataset" in main.inner_text()
    form = main.get_by_test_id("stForm").first
    form.get_by_label("Keep it as").fill("wales-test")
    rerun(page, lambda: form.get_by_role("button", name="Check and keep").click())
    wait_for_app(page)
    assert "kept as 'wales-test'" in main.inner_text()
    assert main.get_by_role("link", name="Present a meeting on this dataset").is_visible()
    assert "dataset=wales-test" in page.url
    assert WALES_PROVIDER in page.get_by_test_id("stApp").inner_text()

    # the projector window: a second browser context (no shared session), from the link
    projector = sealed.context.browser.new_context(viewport=VIEWPORT, locale="en-GB")
    try:
        projector.set_default_timeout(RUN_TIMEOUT_MS)
        watch_runs(projector)
        asked: list[str] = []
        projector.on("request", lambda request: asked.append(request.url))
        screen = projector.new_page()
        screen.goto(
            f"{upload_server.url}/?dataset=wales-test&mode=presenter", wait_until="domcontentloaded"
        )
        wait_for_app(screen)
        text = screen.get_by_test_id("stApp").inner_text()
        assert "Presenter mode is on" in text
        assert WALES_PROVIDER in text and SAMPLE_PROVIDER not in text
        screen.reload(wait_until="domcontentloaded")
        wait_for_app(screen)
        again = screen.get_by_test_id("stApp").inner_text()
        assert WALES_PROVIDER in again and SAMPLE_PROVIDER not in again
        assert "dataset=wales-test" in screen.url
        assert not [url for url in asked if leaves_machine(url)]
    finally:
        projector.close()
    sealed.assert_clean()
