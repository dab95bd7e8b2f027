"""Remake the HTML report screenshots under docs/ from real runs.

    python tools/report_screenshots.py            # docs/report.png (examples/html_report_demo.py)
    python tools/report_screenshots.py --resnet   # also docs/resnet50-report.png

Needs Chromium at /usr/bin/chromium (`make browser-deps`) and playwright (the test extra).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_page(script: Path, folder: Path) -> Path:
    page = folder / f"{script.stem}.html"
    subprocess.run([sys.executable, "-m", "gradtrace", "run", "--html", str(page), script.name],
                   cwd=script.parent, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
                   capture_output=True, check=False)
    return page


def shoot(browser, page_path: Path, out: Path, click: str, crop_to_break: bool) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 1000}, device_scale_factor=1)
    page.goto(page_path.as_uri())
    page.locator(click).first.click()
    if crop_to_break:  # a tall picture: show its end, the break and the loss
        page.add_style_tag(content=".picture{max-height:none !important}")
        scrolled = page.evaluate("window.scrollY")  # boxes are relative to the viewport
        top = page.locator("g.gt-break").first.bounding_box()["y"] + scrolled - 600
        ops = page.locator(".gt-graph .ops").first.bounding_box()
        ops["y"] += scrolled
        page.screenshot(path=str(out), full_page=True,
                        clip={"x": 0, "y": top, "width": 1100,
                              "height": ops["y"] + ops["height"] - top + 10})
    else:
        page.screenshot(path=str(out), full_page=True)
    page.close()
    print(f"wrote {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resnet", action="store_true")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        demo = make_page(ROOT / "examples" / "html_report_demo.py", Path(folder))
        shoot(browser, demo, ROOT / "docs" / "report.png", "g.gt-break", False)
        if options.resnet:
            resnet = make_page(ROOT / "bench" / "programs" / "resnet50_broken_loss.py",
                               Path(folder))
            shoot(browser, resnet, ROOT / "docs" / "resnet50-report.png",
                  "g.gt-layer >> text=predictions", True)
        browser.close()


if __name__ == "__main__":
    main()
