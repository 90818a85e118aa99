"""Issue 25: a pathological export must cost under 2× a normal one.

Usage: python bench/long_labels.py [--runs 2] [--fonts DIR]

The 1× demo data, and a copy in which one product is a 9,000-character Ethiopic name without a space (a
script the DejaVu fonts lack: every glyph a .notdef, and one unbreakable word for the table layout), a rep has
a 480-character Latin name, every seventh account a 600-character Tibetan one and a lead source a
300-character Devanagari one. Each is reported by `salespulse run --dry-run --json` (team south, 2026-10:
its best-product goal names the product on page 1; `report.full_pdf: true` puts every section in the PDF)
against one `prefect server` the bench starts, so Prefect's start-up is not in the figures. The ratio is
the pathological run's CPU seconds over the normal one's, best of --runs (CPU: on a shared host the wall
time follows the other jobs' load; the wall ratio is printed beside it). `--fonts DIR` adds a folder of
fonts (e.g. fonts-noto-core's, unpacked) through a private fontconfig file, leaving the system's alone.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import DATA, prepared  # noqa: E402
from bench_measure import BIN, QUIET, ROOT, PrefectServer, write_config  # noqa: E402

TARGET = 2.0  # the bound: a pathological export costs less than twice a normal one
VERSION = 4  # bump when the labels below change: the folder is rebuilt
TEAM, PERIOD = "south", "2026-10"


def _script(start: int, count: int, length: int, word: int = 0) -> str:
    """`length` characters cycling through `count` letters of a Unicode block; a space every `word` of them,
    or none: one unbreakable word, the worst case for a table's layout."""
    letters = [chr(start + i) for i in range(count)]
    return "".join(" " if word and i % word == word - 1 else letters[i % count] for i in range(length))


LONG = {
    "product": _script(0x1200, 90, 9_000),  # Ethiopic syllables
    "rep": "Maximiliana " * 40,  # 480 Latin characters
    "account": _script(0x0F40, 40, 600, word=12),  # Tibetan
    "source": _script(0x0915, 35, 300, word=8),  # Devanagari
}


def pathological_folder(normal: Path) -> Path:
    """The normal folder with its best seller, one rep, every seventh account and one lead source renamed."""
    folder = DATA / f"long-labels-v{VERSION}"
    if (folder / "deals.csv").exists():
        return folder
    tmp = DATA / f".tmp-long-labels-v{VERSION}"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(normal, tmp)
    frames = {name: pd.read_csv(tmp / f"{name}.csv", dtype=str, keep_default_na=False)
              for name in ("deals", "reps", "accounts", "leads")}  # fmt: skip
    frames["deals"]["product"] = frames["deals"]["product"].replace("GTX Pro", LONG["product"])
    south = frames["reps"].index[frames["reps"]["team"] == TEAM][0]
    frames["reps"].loc[south, "name"] = LONG["rep"]
    frames["accounts"]["name"] = frames["accounts"]["name"].where(frames["accounts"].index % 7 != 0, LONG["account"])
    frames["leads"]["source"] = frames["leads"]["source"].replace("event", LONG["source"])
    for name, frame in frames.items():
        frame.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def config(data: Path, out: Path) -> Path:
    path = write_config(data, out)
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["report"] = {**(settings.get("report") or {}), "full_pdf": True}
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def font_env(fonts: Path | None, scratch: Path) -> dict[str, str]:
    """FONTCONFIG_FILE pointing at the system's configuration plus `fonts`, or nothing."""
    if fonts is None:
        return {}
    conf = scratch / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<include>/etc/fonts/fonts.conf</include><dir>{fonts.resolve()}</dir>"
        f"<cachedir>{scratch.resolve() / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


def one_run(path: Path, env: dict[str, str]) -> dict[str, float | int]:
    """Wall and CPU seconds of one `salespulse run`, its PDF's pages and the .notdef warnings it logged."""
    command = [str(BIN / "salespulse"), "run", "-c", str(path), "--team", TEAM, "--period", PERIOD]
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(
        [*command, "--dry-run", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=1800,
        env={**os.environ, **QUIET, "PYTHONPATH": str(ROOT), **env},
    )  # fmt: skip
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{path}: exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    (report,) = json.loads(done.stdout)["runs"]
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    pages = len(PdfReader(report["pdf"]).pages)
    return {"wall": round(wall, 2), "cpu": round(cpu, 2), "pages": pages, "notdef": done.stderr.count("notdef")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--fonts", type=Path, help="a folder of extra fonts, e.g. an unpacked fonts-noto-core")
    args = parser.parse_args()
    normal = prepared("scale_folder", 1)
    folders = {"normal": normal, "pathological": pathological_folder(normal)}
    scratch = DATA / "long-labels-out"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    server = PrefectServer(scratch / "prefect")
    server.start()
    try:
        env = {**server.env(), **font_env(args.fonts, scratch)}
        configs = {name: config(data, scratch / name) for name, data in folders.items()}
        samples = {name: [one_run(path, env) for _ in range(args.runs)] for name, path in configs.items()}
    finally:
        server.stop()
    best = {key: {name: min(run[key] for run in runs) for name, runs in samples.items()} for key in ("cpu", "wall")}
    ratio = {key: round(pair["pathological"] / pair["normal"], 2) for key, pair in best.items()}
    print(f"normal {samples['normal']} / pathological {samples['pathological']}: CPU {ratio['cpu']}×, "
          f"wall {ratio['wall']}× (target < {TARGET}×)", file=sys.stderr)  # fmt: skip
    print(json.dumps({"ratio": ratio["cpu"], "wall_ratio": ratio["wall"], "target": TARGET,
                      "fonts": str(args.fonts or ""), **samples}))  # fmt: skip


if __name__ == "__main__":
    main()
