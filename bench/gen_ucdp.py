#!/usr/bin/env python3
"""Writes a synthetic UCDP GED CSV (official column names) of N events for the benchmarks.

usage: gen_ucdp.py N OUT.csv [--seed 7]

Deterministic for a seed. Events fall in the Sahel box (lat 10-24, lon -12..16) around a few
dozen towns, with dates 1989-2023, the three UCDP violence types, and a short headline, so that
an import exercises parsing, country lookup, validation, search terms and storage as real data
does. Nothing in it is real.
"""
import csv
import random
import sys

COLUMNS = ("id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
           "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
           "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
           "source_date,source_headline,source_original,where_prec,where_coordinates,"
           "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
           "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
           "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob").split(",")

TOWNS = [  # name, country, GW code, lat, lon
    ("Gao", "Mali", 432, 16.27, -0.04), ("Timbuktu", "Mali", 432, 16.77, -3.01),
    ("Mopti", "Mali", 432, 14.49, -4.20), ("Kidal", "Mali", 432, 18.44, 1.41),
    ("Menaka", "Mali", 432, 15.92, 2.40), ("Segou", "Mali", 432, 13.43, -6.26),
    ("Djibo", "Burkina Faso", 439, 14.10, -1.63), ("Dori", "Burkina Faso", 439, 14.03, -0.03),
    ("Fada N'gourma", "Burkina Faso", 439, 12.06, 0.36), ("Ouahigouya", "Burkina Faso", 439, 13.58, -2.42),
    ("Tillaberi", "Niger", 436, 14.21, 1.45), ("Diffa", "Niger", 436, 13.32, 12.61),
    ("Agadez", "Niger", 436, 16.97, 7.99), ("Tahoua", "Niger", 436, 14.89, 5.27),
    ("Maiduguri", "Nigeria", 475, 11.85, 13.16), ("Bol", "Chad", 483, 13.46, 14.71),
    ("Nema", "Mauritania", 435, 16.62, -7.26), ("Ziguinchor", "Senegal", 433, 12.58, -16.27),
]
WORDS = ("attack convoy soldiers gunmen village market killed wounded clash army post patrol "
         "militants ambush mine explosion kidnapped civilians herders farmers checkpoint").split()


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    n, out = int(args[0]), args[1]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
    rnd = random.Random(seed)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(n):
            name, country, gw, lat0, lon0 = TOWNS[rnd.randrange(len(TOWNS))]
            lat = round(lat0 + rnd.gauss(0, 0.25), 6)
            lon = round(lon0 + rnd.gauss(0, 0.25), 6)
            year = rnd.randint(1989, 2023)
            month, day = rnd.randint(1, 12), rnd.randint(1, 28)
            date = f"{year:04d}-{month:02d}-{day:02d}"
            tov = rnd.choice((1, 1, 2, 3))
            low = rnd.choice((0, 0, 1, 2, 3, 5))
            best = low + rnd.choice((0, 0, 1, 2))
            high = best + rnd.choice((0, 1, 3))
            headline = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14)))
            row = {c: "" for c in COLUMNS}
            row.update({
                "id": 10_000_000 + i, "relid": f"SYN-{year}-{tov}-{i}", "year": year,
                "active_year": 1, "code_status": "Clear", "type_of_violence": tov,
                "conflict_name": f"{country}: synthetic", "dyad_name": f"Government of {country} - Group {i % 7}",
                "side_a": f"Government of {country}", "side_a_new_id": 100 + gw,
                "side_b": f"Group {i % 7}", "side_b_new_id": 9000 + i % 7,
                "number_of_sources": 1, "source_office": "Synthetic Wire", "source_date": date,
                "source_headline": headline, "where_prec": rnd.choice((1, 1, 2, 3, 4)),
                "where_coordinates": f"{name} town", "where_description": f"near {name}",
                "adm_1": f"{name} region", "latitude": lat, "longitude": lon,
                "geom_wkt": f"POINT ({lon} {lat})", "country": country, "country_id": gw,
                "region": "Africa", "event_clarity": 1, "date_prec": 1,
                "date_start": date, "date_end": date, "deaths_a": 0, "deaths_b": best,
                "deaths_civilians": 0, "deaths_unknown": 0, "best": best, "high": high, "low": low,
                "gwnoa": gw,
            })
            w.writerow([row[c] for c in COLUMNS])


if __name__ == "__main__":
    main()
