"""The workshop screen in a real browser: headless Chromium from the system, driven by Selenium (issue 12).

Skips, saying why, where Chromium, its driver or Selenium is missing
(`apt-get install chromium chromium-driver`, `pip install ".[test]"`). Selenium
is pointed at /usr/bin/chromedriver and never downloads a driver; the browser
talks to 127.0.0.1 only. Set KOUIKI_SCREENSHOT=docs/serve.png to keep the
screenshot the run takes.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT = 600  # seconds: generous, since a Kensei solve on a shared machine may be slow; never asserted

if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
    pytest.skip("no Chromium here (apt-get install chromium chromium-driver)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install '.[test]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install '.[serve]')")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DONE = ("solved", "infeasible", "no_plan_in_time", "failed", "cancelled")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from kouiki.cli import main; main()", "serve", "kensei",
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    limit = time.monotonic() + 120
    while time.monotonic() < limit:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"allocate serve ended: {process.stdout.read().decode(errors='replace')}")
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(30)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1920,1080", "--lang=ja"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def shown_scenario(driver) -> int:
    return int(driver.current_url.split("s=")[1].split("&")[0])


def wait_for_plan(driver) -> str:
    """The status of the scenario on screen once its solve is over (the page refreshes itself until then)."""
    def over(d):
        try:
            status = d.find_element(By.ID, "plan").get_attribute("data-status")
            return status if status in DONE else False
        except Exception:  # the page is being reloaded
            return False

    return WebDriverWait(driver, WAIT, poll_frequency=0.25).until(over)


def submit(driver, form_id: str, **fields) -> int:
    form = driver.find_element(By.ID, form_id)
    for name, value in fields.items():
        element = form.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
    before = driver.current_url
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 60).until(lambda d: d.current_url != before and "s=" in d.current_url)
    return shown_scenario(driver)


def plan_rows(driver) -> list[dict]:
    return [{"hub": r.get_attribute("data-hub"), "participants": r.get_attribute("data-participants").split(";")}
            for r in driver.find_elements(By.CSS_SELECTOR, "#plan-arrangements tr.arrangement")]


def total(driver) -> int:
    return int(driver.find_element(By.ID, "total").get_attribute("data-yen"))


def cli_arrangements(tmp_path: Path, *arguments: str) -> bytes:
    out = tmp_path / "cli"
    subprocess.run([sys.executable, "-c", "from kouiki.cli import main; main()", "kensei", "--quiet", "--out", str(out),
                    *arguments], check=True, timeout=WAIT)
    return (out / "arrangements.csv").read_bytes()


def test_a_workshop_in_the_browser(server, browser, downloads, tmp_path):
    browser.get(server + "/")
    assert wait_for_plan(browser) == "solved"
    base_total = total(browser)
    assert "節減額の合計" in browser.page_source  # Japanese by default

    # 箱根町 stays out
    excluded = submit(browser, "form-exclude", municipality="箱根町")
    assert wait_for_plan(browser) == "solved"
    rows = plan_rows(browser)
    assert rows and all("箱根町" not in r["participants"] for r in rows)
    without_hakone = total(browser)
    assert without_hakone != base_total

    # a cap of 1億 on each hub can only widen the choice
    capped = submit(browser, "form-burden-cap", amount="1億")
    assert wait_for_plan(browser) == "solved"
    assert total(browser) >= without_hakone - 1
    screenshot = Path(os.environ.get("KOUIKI_SCREENSHOT") or tmp_path / "serve.png")
    browser.set_window_size(1920, browser.execute_script("return document.body.scrollHeight"))
    browser.save_screenshot(str(screenshot))  # the whole page, as a projector at 1920 px wide shows it
    browser.set_window_size(1920, 1080)

    # 箱根町 stays out, yet must take part in cremation: the conflict is named, with a drop button
    submit(browser, "form-require", task="火葬", municipality="箱根町")
    assert wait_for_plan(browser) == "infeasible"
    conflict = browser.find_element(By.ID, "conflict").text
    assert "--exclude 箱根町" in conflict and "--require 火葬:箱根町" in conflict
    assert len(browser.find_elements(By.CSS_SELECTOR, "#conflict button.drop")) == 2

    # two scenarios side by side
    for number in (excluded, capped):
        browser.find_element(By.CSS_SELECTOR, f"#history input[type=checkbox][value='{number}']").click()
    browser.find_element(By.ID, "compare").click()
    table = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "comparison"))
    headers = [h.text for h in table.find_elements(By.CSS_SELECTOR, "th.scenario-name")]
    assert headers == ["案B", "案C"]

    # the report folder of 案B, as a zip, holds what the CLI writes for the same what-if
    browser.get(f"{server}/?s={excluded}")
    browser.find_element(By.CSS_SELECTOR, f"#history tr[data-scenario='{excluded}'] a.download").click()
    zipped = WebDriverWait(browser, 60).until(
        lambda d: next((p for p in downloads.glob("*.zip") if p.stat().st_size > 0), False))
    time.sleep(0.5)  # Chromium renames the finished download into place; let it settle
    archive = zipfile.ZipFile(io.BytesIO(zipped.read_bytes()))
    name = next(n for n in archive.namelist() if n.endswith("/arrangements.csv"))
    assert archive.read(name) == cli_arrangements(tmp_path, "--exclude", "箱根町")
