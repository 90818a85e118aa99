"""Registries as data: every KPI in the catalogue reaches the report's glossary with its definition and
formula, computed by the real runner on tiny frames (the KPI math itself is tested in tests/transforms)."""

from bs4 import BeautifulSoup

from salespulse.reports.render import render_html
from salespulse.transforms.kpi_runner import kpi_results
from salespulse.transforms.kpis import KPI_CATALOGUE
from tests.reports.contexts import build_context
from tests.transforms.kpi_data import DATA, SETTINGS, W47


def test_every_catalogue_kpi_has_a_glossary_line():
    kpis = kpi_results(DATA, W47, list(KPI_CATALOGUE), SETTINGS)
    soup = BeautifulSoup(render_html(build_context(kpis=kpis)), "html.parser")
    glossary = soup.select_one("section.glossary")
    terms = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in glossary("dt")}
    for kpi in KPI_CATALOGUE.values():
        assert kpi.name in terms, kpi.id
        assert kpi.definition in terms[kpi.name] and kpi.formula in terms[kpi.name], kpi.id
