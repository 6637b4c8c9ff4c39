"""Write ``nlp_service/resources/places.tsv``: China's prefecture-level cities and their provinces.

The region rules read it to tell which province a document speaks for when it names the
province's cities but never the province (a provincial plan that assigns tasks to 济南, 青岛,
淄博). The data is the administrative-division table (adcodes, 2020) that ships with the
MIT-licensed ``cpca`` package (https://github.com/DQinYuan/chinese_province_city_area_mapper):
no library keeps this table in a form the service could read without pandas, so the script
copies the rows it needs once, and the file says where they came from.

    .venv/bin/pip download cpca==0.5.5 --no-deps -d build/cpca
    .venv/bin/python scripts/build_places.py build/cpca/cpca-0.5.5-py3-none-any.whl

Only prefecture-level units are kept (code XXYY00000000, YY not 00): county names repeat
across provinces (朝阳区 in Beijing, 朝阳市 in Liaoning), city names do not.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "nlp_service" / "resources" / "places.tsv"
_GROUPING = re.compile(r"^(?:市辖区|县|省直辖|自治区直辖)")  # rows that group counties, no city
_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|自治州|地区|盟|省|市)$")


def short(name: str) -> str:
    """山东省 → 山东, 青岛市 → 青岛, 延边朝鲜族自治州 → 延边朝鲜族 (the rules match the short forms)."""
    s = _SUFFIX.sub("", name)
    return s if len(s) >= 2 else name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="cpca's wheel, or its resources/adcodes.csv")
    args = ap.parse_args()
    if args.source.suffix == ".whl":
        with zipfile.ZipFile(args.source) as whl:
            raw = whl.read("cpca/resources/adcodes.csv").decode("utf-8")
    else:
        raw = args.source.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"].endswith("0000000000")}
    cities = sorted((r["adcode"], r["name"]) for r in rows
                    if r["adcode"][2:4] != "00" and r["adcode"].endswith("00000000") and r["adcode"][:2] in provinces
                    and not _GROUPING.match(r["name"]))
    seen: dict[str, str] = {}
    lines = []
    for code, name in cities:
        province = short(provinces[code[:2]])
        city = short(name)
        if city in seen and seen[city] != province:
            raise SystemExit(f"{city} names a city in {seen[city]} and in {province}")
        seen[city] = province
        lines.append(f"{name}\t{city}\t{province}\t{code}")
    header = [
        "# places.tsv - China's prefecture-level cities and their provinces (nlp_service.extract.region_year).",
        "# Copied by scripts/build_places.py from the administrative-division table (adcodes) of the",
        "# MIT-licensed cpca 0.5.5 (Copyright (c) 2018 QinYuan Du); only prefecture-level rows are kept.",
        "name\tshort\tprovince\tadcode",
    ]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} cities of {len(provinces)} provinces -> {OUT}")


if __name__ == "__main__":
    main()
