"""Bilateral geography of the sample world and its CEPII GeoDist file (``geo/dist_cepii.csv``).

Distances are great-circle kilometres (radius 6,378.137 km) between the coordinates in
``data/countries.csv``: ``distcap`` between capitals, ``dist`` between main cities (CEPII's
"most populated city"); for a country with itself both are CEPII's internal distance ``dis_int``.
``distw`` and ``distwces`` (population-weighted in CEPII) are stood in for by
sqrt(dist x distcap) and 0.95 x min(dist, distcap); internally 1.4 and 0.6 x dis_int.
``comlang_off`` and ``comlang_ethno`` come from the official (and 9%-spoken) languages of
geo_cepii, ``colony`` from its colonizer columns (either country colonised the other), ``comcol``
from a shared colonizer; ``contig``, ``curcol``, ``col45`` and ``smctry`` are 0.

Like the real file, countries are named by CEPII's codes, which differ from ISO 3166 for five of
them (ROM = ROU, ZAR = COD, PAL = PSE, TMP = TLS, YUG = SRB), and rows are sorted by iso_o, iso_d.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from tcd_pipeline.sample.world import Countries

EARTH_RADIUS_KM = 6378.137
GEODIST_HEADER = ["iso_o", "iso_d", "contig", "comlang_off", "comlang_ethno", "colony", "comcol", "curcol",
                  "col45", "smctry", "dist", "distcap", "distw", "distwces"]  # fmt: skip


def great_circle(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Haversine distance matrix (km) between all pairs of points."""
    la, lo = np.radians(lat), np.radians(lon)
    h = (np.sin((la[:, None] - la[None, :]) / 2) ** 2
         + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin((lo[:, None] - lo[None, :]) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def distances(countries: Countries) -> dict[str, np.ndarray]:
    """dist, distcap, distw, distwces (country x country, km), internal distance on the diagonal."""
    tab = countries.table
    distcap = great_circle(tab["cap_lat"], tab["cap_lon"])
    dist = great_circle(tab["main_lat"], tab["main_lon"])
    diag = np.diag_indices(len(countries))
    distcap[diag] = dist[diag] = tab["dis_int"]
    distw = np.sqrt(dist * distcap)
    distwces = 0.95 * np.minimum(dist, distcap)
    distw[diag], distwces[diag] = 1.4 * tab["dis_int"], 0.6 * tab["dis_int"]
    # coincident cities (e.g. two countries placed on one capital) would give 0 km: floor at 1 km
    return {name: np.maximum(m, 1.0) for name, m in
            (("dist", dist), ("distcap", distcap), ("distw", distw), ("distwces", distwces))}


def pair_flags(countries: Countries) -> dict[str, np.ndarray]:
    """0/1 matrices comlang_off, comlang_ethno, colony, comcol (zero on the diagonal)."""
    n = len(countries)
    flags = {name: np.zeros((n, n), dtype=np.int8) for name in ("comlang_off", "comlang_ethno", "colony", "comcol")}
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            flags["comlang_off"][a, b] = bool(countries.lang_off[a] & countries.lang_off[b])
            flags["comlang_ethno"][a, b] = bool(countries.lang_ethno[a] & countries.lang_ethno[b])
            flags["colony"][a, b] = (countries.iso3[a] in countries.colonizers[b]
                                     or countries.iso3[b] in countries.colonizers[a])
            flags["comcol"][a, b] = bool(countries.colonizers[a] & countries.colonizers[b])
    return flags


def write_geodist(path: Path, countries: Countries, dist: dict[str, np.ndarray], flags: dict[str, np.ndarray]) -> int:
    """Write every ordered pair (self-pairs included) in the GeoDist layout; returns rows written."""
    order = sorted(range(len(countries)), key=lambda r: countries.cepii_iso3[r])
    fl = lambda x: f"{float(x):.1f}"  # noqa: E731  (flags are written as 0.0 / 1.0 like the file)
    num = lambda x: f"{x:.7g}"  # noqa: E731
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(GEODIST_HEADER)
        for a in order:
            for b in order:
                out.writerow([countries.cepii_iso3[a], countries.cepii_iso3[b], "0.0",
                              fl(flags["comlang_off"][a, b]), fl(flags["comlang_ethno"][a, b]),
                              fl(flags["colony"][a, b]), fl(flags["comcol"][a, b]), "0.0", "0.0", "0.0",
                              num(dist["dist"][a, b]), num(dist["distcap"][a, b]),
                              num(dist["distw"][a, b]), num(dist["distwces"][a, b])])
    return len(order) ** 2

