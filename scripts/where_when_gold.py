#!/usr/bin/env python3
"""Writes data/gold/where-when-howmany.jsonl: sentences composed from clauses written for this
project, each with its gold place, date and typed counts computed here (not by the coder).
Deterministic; records alternate between the tune and test splits."""
import datetime as dt, json, random, csv, sys

random.seed(18)
GAZ = {}
for path in ["data/kb/gazetteer.tsv", "data/kb/places.tsv"]:
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or line.startswith("name\t"):
            continue
        f = line.rstrip("\n").split("\t")
        GAZ.setdefault(f[0], f[2])
CITIES = """Mosul Aleppo Idlib Homs Kherson Bakhmut Sumy Dnipro Lviv Kramatorsk Belgorod Gao Timbuktu
Mopti Maiduguri Kaduna Jos Goma Bunia Mogadishu Kismayo Baidoa Nyala Omdurman Kassala Juba Malakal
Nablus Hebron Sidon Baalbek Sanaa Aden Taiz Marib Kabul Peshawar Quetta Karachi Lahore Srinagar
Imphal Dhaka Yangon Mandalay Myitkyina Sittwe Lashio Lagos Kano Ouagadougou Djibo Niamey Bamako
Benghazi Sirte Cairo Cali Caracas Maracaibo Lima Quito Guayaquil Tegucigalpa Port-au-Prince Tijuana
Manila Cotabato Bangkok Yala Narathiwat Nairobi Mombasa Mandera Garissa Kampala Kigali Bujumbura
Maputo Harare Belfast Glasgow Edinburgh Cardiff Swansea Manchester Liverpool Istanbul Ankara Tehran
Isfahan Baghdad Kirkuk Erbil Damascus Beirut Amman Tbilisi Yerevan Baku Chisinau Sevastopol
Simferopol Donetsk Luhansk Mariupol Melitopol Atbara""".split()
CITIES = [(c, GAZ[c]) for c in CITIES if c in GAZ]
WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
         11: "eleven", 12: "twelve", 15: "fifteen", 20: "twenty", 30: "thirty"}
WD = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
REPORTS = [dt.date(2024, 5, 8), dt.date(2025, 2, 14), dt.date(2023, 11, 7), dt.date(2024, 9, 20)]


def past_when(rep):
    """A past date phrase and its gold (date, precision)."""
    k = random.randrange(7)
    if k == 0:
        wd = random.randrange(7)
        back = (rep.weekday() - wd) % 7
        return f"on {WD[wd]}", rep - dt.timedelta(back), "day"
    if k == 1:
        return "yesterday", rep - dt.timedelta(1), "day"
    if k == 2:
        return "last week", rep - dt.timedelta(7), "week"
    if k == 3:
        n = random.choice([2, 3, 4, 5])
        return f"{WORDS[n]} days ago", rep - dt.timedelta(n), "day"
    if k == 4:
        d = rep - dt.timedelta(random.randrange(3, 25))
        return f"on {MONTHS[d.month - 1]} {d.day}", d, "day"
    if k == 5:
        return "", rep, "day"
    return "on Sunday" if rep.weekday() != 6 else "on Saturday", \
        rep - dt.timedelta((rep.weekday() - (6 if rep.weekday() != 6 else 5)) % 7), "day"


def future_when(rep):
    k = random.randrange(3)
    if k == 0:
        wd = random.randrange(7)
        ahead = (wd - rep.weekday()) % 7
        return f"on {WD[wd]}", rep + dt.timedelta(ahead), "day"
    if k == 1:
        return "next week", rep + dt.timedelta(7), "week"
    d = rep + dt.timedelta(random.randrange(3, 40))
    return f"on {MONTHS[d.month - 1]} {d.day}", d, "day"


def num(lo, hi, words=True):
    n = random.randrange(lo, hi)
    if words and n in WORDS and random.random() < 0.4:
        return WORDS[n], n
    return f"{n:,}", n


def c(kind, value, q="exact"):
    return {"kind": kind, "value": value, "qualifier": q}


def violent(city, rep):
    w, d, p = past_when(rep)
    at = f" {w}" if w else ""
    t = random.randrange(12)
    if t == 0:
        s, n = num(3, 40)
        return f"At least {s} people were killed when gunmen attacked a market in {city}{at}.", [c("killed", n, "at_least")], d, p
    if t == 1:
        s, n = num(2, 20)
        return f"Militants attacked a police post in {city}{at}, killing {s} officers.", [c("killed", n)], d, p
    if t == 2:
        s, n = num(5, 60, False)
        return f"Clashes in {city}{at} left {s} dead.", [c("killed", n)], d, p
    if t == 3:
        s, n = num(10, 300, False)
        return f"Police arrested {s} protesters in {city}{at}.", [c("detained", n)], d, p
    if t == 4:
        s, n = num(20, 500, False)
        return f"Security forces detained more than {s} people in {city}{at}.", [c("detained", n, "more_than")], d, p
    if t == 5:
        s, n = num(2, 30)
        return f"An air strike struck a hospital in the city of {city}{at}, wounding {s} people.", [c("injured", n)], d, p
    if t == 6:
        s, n = num(2, 15)
        s2, m = num(16, 60, False)
        return f"Rebels shelled {city}{at}, killing {s} civilians and wounding {s2} others.", [c("killed", n), c("injured", m)], d, p
    if t == 7:
        return f"Hundreds of protesters marched in {city}{at}.", [c("protesters", 100, "more_than")], d, p
    if t == 8:
        s, n = num(2, 90)
        return f"Gunmen abducted {s} students from a school in {city}{at}.", [c("hostages", n)], d, p
    if t == 9:
        s, n = num(2, 20)
        return f"Troops fired on demonstrators in {city}{at}, killing {s}.", [c("killed", n)], d, p
    if t == 10:
        s, n = num(3, 50, False)
        return f"A suicide bomber struck a checkpoint in {city}{at}, and the death toll rose to {s}.", [c("killed", n)], d, p
    s, n = num(2, 25)
    return f"Nearly {s} soldiers were killed in an ambush near {city}{at}.", [c("killed", n, "nearly")], d, p


def planned(city, rep):
    w, d, p = future_when(rep)
    t = random.randrange(3)
    if t == 0:
        return f"The foreign minister will visit {city} {w}.", [], d, p
    if t == 1:
        return f"Talks between the two sides will open in {city} {w}.", [], d, p
    return f"Opposition groups will protest in {city} {w}.", [], d, p


def dateline(city, rep):
    d = rep - dt.timedelta(random.randrange(0, 3))
    s, n = num(2, 30)
    head = f"{city.upper()}, {MONTHS[d.month - 1][:3]} {d.day} (Reuters) - "
    t = random.randrange(3)
    if t == 0:
        return head + f"Soldiers clashed with insurgents, killing {s} fighters.", [c("killed", n)], d, "day"
    if t == 1:
        return head + f"Police arrested {s} opposition activists, a rights group said.", [c("detained", n)], d, "day"
    return head + f"Drone strikes hit fuel depots overnight, wounding {s} workers.", [c("injured", n)], d, "day"


def anchored(city, rep):
    t = random.randrange(3)
    if t == 0:
        wd = random.randrange(7)
        back = (rep.weekday() - wd) % 7 or 7
        vote = rep - dt.timedelta(back)
        if back < 2:
            vote -= dt.timedelta(7)
        return f"Protesters rallied in {city} two days after the vote on {WD[vote.weekday()]}.", [], vote + dt.timedelta(2), "day"
    if t == 1:
        return f"Troops attacked {city} three days after the truce collapsed.", [], rep, "month"
    n = random.choice([2, 3, 4])
    return f"Rebels seized {city} nearly {WORDS[n]} years ago.", [], rep.replace(year=rep.year - n), "year"


SPECIAL = [
    ("Artillery shells struck villages in Azad Kashmir {w}, killing {s} people.", "PAK", None, "killed"),
    ("Indian troops shelled posts in Pakistan-administered Kashmir {w}, killing {s} soldiers.", "PAK", None, "killed"),
    ("Police detained {s} men in Indian-administered Kashmir {w}.", "IND", None, "detained"),
    ("Gunmen attacked a bus in Gilgit-Baltistan {w}, killing {s} passengers.", "PAK", None, "killed"),
    ("Police arrested {s} activists in Glasgow, Scotland {w}.", "GBR", "Glasgow", "detained"),
    ("Farmers protested in Wales {w}.", "GBR", None, None),
    ("Rioters attacked police in Belfast, Northern Ireland {w}, injuring {s} officers.", "GBR", "Belfast", "injured"),
    ("Drones struck Sevastopol in Crimea {w}, wounding {s} people.", "UKR", "Sevastopol", "injured"),
    ("Fighting in Kordofan {w} killed {s} people.", "SDN", None, "killed"),
    ("Settlers attacked a village in the West Bank {w}, wounding {s} Palestinians.", "PSE", None, "injured"),
]


def special(rep, i):
    tpl, country, city, kind = SPECIAL[i % len(SPECIAL)]
    w, d, p = past_when(rep)
    s, n = num(2, 30)
    text = tpl.replace(" {w}", f" {w}" if w else "").replace("{s}", s)
    return text, country, city, ([c(kind, n)] if kind else []), d, p


def main():
    out = []
    for i in range(320):
        rep = REPORTS[i % len(REPORTS)]
        city, country = random.choice(CITIES)
        kind = i % 8
        if kind in (0, 1, 2, 3):
            text, counts, d, p = violent(city, rep)
        elif kind == 4:
            text, counts, d, p = planned(city, rep)
        elif kind == 5:
            text, counts, d, p = dateline(city, rep)
        elif kind == 6:
            text, counts, d, p = anchored(city, rep)
        else:
            text, country, city, counts, d, p = special(rep, i // 8)
        out.append({
            "id": f"ww{i + 1:03d}", "split": "tune" if i % 2 == 0 else "test",
            "date": rep.isoformat(), "text": text,
            "place": {"country": country, **({"city": city} if city else {})},
            "when": {"date": d.isoformat(), "precision": p}, "counts": counts,
        })
    with open("data/gold/where-when-howmany.jsonl", "w", encoding="utf-8") as f:
        f.write("# Where, when and how many: 320 sentences composed from clauses written for sitrep, with\n")
        f.write("# gold place, date and typed counts (scripts/where_when_gold.py). Tune on split=tune only.\n")
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


main()
