"""Downloads as a person gets them in the browser: a chart's safe table as CSV and a chart as a
stamped PNG. Both are made only when the button is pressed (deferred), so they are proved here, by
pressing the button and reading the file Chromium saves, not by AppTest."""

from __future__ import annotations

import io

import pandas as pd

from insight.core.caveat import CAVEAT
from tests.browser.conftest import Sealed, click_when_still, open_app

SANDWELL = "E08000028"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _barriers_page(sealed: Sealed, sample_server) -> None:
    open_app(sealed.page, sample_server, query=f"la={SANDWELL}", path="participants_barriers")


def test_csv_download_is_the_table_view_with_the_caveat(sealed: Sealed, sample_server) -> None:
    page = sealed.page
    _barriers_page(sealed, sample_server)
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stExpander").first.locator("summary").click()
    button = main.get_by_role("button", name="Download this safe table (CSV)").first
    with page.expect_download() as caught:
        click_when_still(button)
    download = caught.value
    assert download.suggested_filename.endswith(".csv")
    data = download.path().read_bytes()
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(frame.columns[:3]) == ["Area", "Category", "Share"]
    shares = frame["Share"][frame["Share"] != ""]
    assert len(shares) > 0 and shares.str.fullmatch(r"<1%|>99%|\d{1,3}%|\[c\]").all()
    assert "value" not in frame.columns
    assert "Sandwell" in set(frame["Area"])
    assert CAVEAT in data.decode("utf-8")
    sealed.assert_clean()


def test_png_download_is_a_stamped_image(sealed: Sealed, sample_server) -> None:
    page = sealed.page
    _barriers_page(sealed, sample_server)
    button = page.get_by_test_id("stMain").get_by_role("button", name="Download PNG").first
    with page.expect_download(timeout=90_000) as caught:  # Kaleido starts its own Chromium
        button.click()
    download = caught.value
    assert download.suggested_filename.endswith(".png")
    data = download.path().read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1000 and height >= 500, (width, height)
    sealed.assert_clean()
