"""Zipped inputs: per-year zips written by the sample generator, and a release-style archive
holding every year and the code lists in one zip (as CEPII distributes BACI)."""

import zipfile

from tcd_pipeline.sample import generate_sample
from tcd_pipeline_tests.harness import World


def test_per_year_zips_and_release_archive_give_the_same_tables(tmp_path):
    years = [2000, 2001]
    plain = tmp_path / "plain"
    zipped = tmp_path / "zipped"
    generate_sample(plain, years=years)
    generate_sample(zipped, years=years, zipped=True)
    assert sorted(p.name for p in (zipped / "baci").glob("BACI_*")) == [
        "BACI_HS92_Y2000_V202401b.zip", "BACI_HS92_Y2001_V202401b.zip"]

    # a release archive: all BACI files of the plain folder in one zip, no loose BACI file
    release = tmp_path / "release"
    (release / "wdi").mkdir(parents=True)
    with zipfile.ZipFile(release / "BACI_HS92_V202401b.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((plain / "baci").iterdir()):
            archive.write(path, arcname=path.name)
    for path in (plain / "wdi").iterdir():
        (release / "wdi" / path.name).write_bytes(path.read_bytes())

    tables = {}
    for name, inputs in (("plain", plain), ("zipped", zipped), ("release", release)):
        world = World(tmp_path / f"run_{name}", inputs=inputs)
        report = world.refresh()
        assert report.success, (name, report.problems)
        assert [(r.job, r.partition) for r in report.runs][:3] == [
            ("ingest_reference_job", ""), ("ingest_flows_job", "2000"), ("ingest_flows_job", "2001")]
        assert report.runs[-1].job == "publish_job"  # after one run per chapter's marts
        tables[name] = world.query("SELECT * FROM clean.flows ORDER BY ALL")
    assert len(tables["plain"]) > 100_000
    assert tables["zipped"] == tables["plain"]
    assert tables["release"] == tables["plain"]
