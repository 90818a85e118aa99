"""Output files are readable by a web server serving output_dir (README: Share the reports)."""

import os
import stat

from salespulse.store.files import write_atomic


def test_written_files_are_0644_and_new_folders_0755_whatever_the_umask(tmp_path):
    before = os.umask(0o077)  # the strictest usual umask: tempfile and mkdir alone would give 0600 and 0700
    try:
        page = write_atomic(tmp_path / "out" / "reports" / "north" / "2026-W47" / "dq.html", "<html></html>")
        again = write_atomic(page, "<html>rerun</html>")  # a rerun replaces the file, same mode
    finally:
        os.umask(before)
    assert stat.S_IMODE(again.stat().st_mode) == 0o644 and again.read_text(encoding="utf-8") == "<html>rerun</html>"
    for folder in ("out", "out/reports", "out/reports/north", "out/reports/north/2026-W47"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o755, folder
    assert [p.name for p in page.parent.iterdir()] == ["dq.html"]  # no temporary file left behind
