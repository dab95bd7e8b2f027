"""Command line.

  gradtrace run [--format text|json] [--output FILE] SCRIPT [ARGS...]
  gradtrace lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--keras 2|3] [PATHS...]
  gradtrace rule [SLUG | CODE]
"""
from __future__ import annotations

import argparse
import os
import sys

from gradtrace import __version__

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradtrace",
        description="Explains why TensorFlow/Keras gradients are missing.",
    )
    parser.add_argument("--version", action="version", version=f"gradtrace {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run", help="run a training script and explain missing gradients",
        description="Run SCRIPT as `python SCRIPT ARGS` would, and explain any missing "
        "gradient: which variables, the line where the chain breaks, the cause and the fix.",
    )
    run.add_argument("--format", choices=("text", "json"), default="text",
                     help="report format (default: text on stderr)")
    run.add_argument("--output", "-o", metavar="FILE",
                     help="write the report to FILE instead of stderr (text) / stdout (json)")
    run.add_argument("--html", metavar="FILE",
                     help="also write a self-contained HTML report to FILE, with a picture "
                          "of the dataflow (laid out by Graphviz dot when installed)")
    run.add_argument("script", metavar="SCRIPT", help="the Python script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS",
                     help="arguments passed to the script")
    lint = commands.add_parser(
        "lint", help="find gradient-breaking code by reading it (nothing is run)",
        description="Read Python files (nothing is imported or run) and report code that "
        "breaks gradients. Exit status: 0 clean, 1 problems found, 2 error. Settings: "
        "[tool.gradtrace] select/ignore/exclude/keras in pyproject.toml.")
    lint.add_argument("paths", nargs="*", default=["."], metavar="PATHS",
                      help="files and folders (default: .)")
    lint.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    lint.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    lint.add_argument("--select", metavar="CODES",
                      help="comma-separated rule codes, prefixes or cause slugs to report")
    lint.add_argument("--ignore", metavar="CODES",
                      help="comma-separated rule codes, prefixes or cause slugs to leave out")
    lint.add_argument("--keras", choices=("2", "3"),
                      help="the Keras the code runs under where it does not say itself "
                      "(2: tf-keras; default 3, the tf.keras of TensorFlow 2.16 and later)")
    rule = commands.add_parser(
        "rule", help="explain a cause: what happens, why, an example and the fix",
        description="Print the page of a cause (its slug appears in every finding). "
        "Without SLUG, list the causes.")
    rule.add_argument("slug", metavar="SLUG", nargs="?",
                      help="a cause slug (numpy_conversion) or a lint rule code (GT101)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.command == "run":
        return _run(options)
    if options.command == "rule":
        return _rule(options.slug)
    if options.command == "lint":
        return _lint(options)
    parser.print_help(sys.stderr)
    return USAGE_ERROR


def _rule(slug: str | None) -> int:
    from rich.markdown import Markdown
    from rich.text import Text

    from gradtrace.catalogue import CAUSES
    from gradtrace.render.text import make_console, print_trimmed

    from gradtrace.lint.rules import RULES

    if slug is not None and slug.upper() in RULES:
        console = make_console(sys.stdout)
        page = Markdown(RULES[slug.upper()].page(), code_theme="ansi_dark")
        print_trimmed(console, lambda: console.print(page))
        return 0
    if slug is not None and slug not in CAUSES:
        print(f"gradtrace: error: no cause named {slug!r}; `gradtrace rule` lists them",
              file=sys.stderr)
        return USAGE_ERROR
    console = make_console(sys.stdout)
    if slug is None:
        lines = [f"{c.slug:<22} {c.severity:<8} {c.title}" for c in CAUSES.values()]
        print_trimmed(console, lambda: console.print(Text("\n".join(lines)), soft_wrap=True))
    else:
        page = Markdown(CAUSES[slug].page(), code_theme="ansi_dark")
        print_trimmed(console, lambda: console.print(page))
    return 0


def _lint(options) -> int:
    from pathlib import Path

    from gradtrace.lint import lint_paths
    from gradtrace.lint.config import ConfigError, load_config
    from gradtrace.lint.output import render_json, render_sarif, render_text

    try:
        config = load_config(Path(options.paths[0]) if options.paths else Path("."))
    except ConfigError as exc:
        print(f"gradtrace: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    select = _codes(options.select) if options.select else config.get("select")
    ignore = _codes(options.ignore) if options.ignore else config.get("ignore", [])
    try:
        result = lint_paths(options.paths, select, ignore, config.get("exclude", []),
                            options.keras or config.get("keras"))
    except FileNotFoundError as exc:
        print(f"gradtrace: error: no such file or folder: {exc}", file=sys.stderr)
        return USAGE_ERROR
    render = {"text": render_text, "json": render_json, "sarif": render_sarif}[options.format]
    text = render(result)
    if options.output:
        Path(options.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if result.errors:
        return USAGE_ERROR
    return 1 if result.findings else 0


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _run(options) -> int:
    from gradtrace.runner import UsageError, resolve_script, run_script

    try:
        resolve_script(options.script)
    except UsageError as exc:
        print(f"gradtrace: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    json_on_stdout = options.format == "json" and not options.output
    real_stdout = sys.stdout
    if json_on_stdout:
        sys.stdout = sys.stderr  # stdout carries the JSON alone; the script prints to stderr
    try:
        result = run_script(options.script, options.args)
    finally:
        sys.stdout = real_stdout
    _report(options, result)
    if options.html:
        from gradtrace.render.html_report import full_page

        with open(options.html, "w", encoding="utf-8") as handle:
            handle.write(full_page(result))
    _report_internal_errors(result)
    if any(finding.severity == "error" for finding in result.findings):
        return 1
    return result.exit_code


def _report(options, result) -> None:
    if options.format == "json":
        from gradtrace.render.json_report import render_json

        text = render_json(result)
        if options.output:
            with open(options.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    from gradtrace.render.text import make_console, render_text

    if options.output:
        with open(options.output, "w", encoding="utf-8") as handle:
            render_text(result, make_console(handle))
    else:
        render_text(result, make_console(sys.stderr))


def _report_internal_errors(result) -> None:
    if not result.internal_errors:
        return
    if os.environ.get("GRADTRACE_DEBUG"):
        import traceback

        for exc in result.internal_errors:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    else:
        print(f"gradtrace: {len(result.internal_errors)} internal error(s) while recording "
              "(set GRADTRACE_DEBUG=1 to see them)", file=sys.stderr)
