#!/usr/bin/env python3
"""Builds the labelled name pairs of eval/dev.jsonl and eval/test.jsonl (see README.md).

usage: python3 eval/build.py [--ucdp FILE] [--scenario FILE]   (from crates/liaison-names)

Deterministic: no randomness, the same inputs give the same files byte for byte. Positives are
pairs inside one *cluster* (spellings, transliterations or the acronym of one name); names of one
actor in different clusters (a translation, a renaming, a nickname) are not paired at all, since no
name matcher is meant to find them. Negatives are pairs of names of different actors that share a
word other than a French/English function word (hard negatives: the same first name, a particle,
"Front", "Islamic"), plus the hand-picked pairs of HARD_NEGATIVES.
"""
import argparse, csv, hashlib, json, os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

UN = "UN Security Council ISIL (Da'esh) and Al-Qaida sanctions list"
PRESS = "regional press spelling"

# Actors whose names were looked at while the matcher was designed (its unit tests and the
# examples of the issue): always in the development set, never in the held-out test set.
SEEN = {"aqim", "targui", "ould_abdel_aziz", "bernaoui", "mnla", "mpla", "belmokhtar", "gspc",
        "jnim", "cemoc", "shekau", "fln", "flm", "gia", "mia", "alghabass", "iyad_ag_ghali"}

# (actor id, kind, source, [clusters]); each cluster is a list of names of one spelling family.
CURATED = [
    # Persons.
    ("belmokhtar", "person", f"{UN}, entry Mokhtar Belmokhtar (QDi.136); Arabic and French spellings from the press",
     [["Mokhtar Belmokhtar", "Mukhtar Belmukhtar", "Moctar Belmoctar", "Moktar Belmoktar", "مختار بلمختار"],
      ["Khaled Abou El Abass", "Khalid Abu al-Abbas", "Khaled Abou El Abbes", "Khaled Abou al-Abbas"],
      ["Belaouar", "Belaour"]]),
    ("droukdel", "person", f"{UN}, entry Abdelmalek Droukdal (QDi.232)",
     [["Abdelmalek Droukdel", "Abdelmalek Droukdal", "Abd al-Malik Drukdal", "عبد المالك دروكدال"],
      ["Abou Mossaab Abdelouadoud", "Abu Musab Abdel Wadoud", "Abu Mus'ab Abd al-Wadud"]]),
    ("iyad_ag_ghali", "person", f"{UN}, entry Iyad ag Ghali (QDi.316); Arabic from the press",
     [["Iyad ag Ghali", "Iyad Ag Ghaly", "Ayad ag Ghaly", "إياد أغ غالي"]]),
    ("abou_zeid", "person", PRESS,
     [["Abdelhamid Abou Zeid", "Abd al-Hamid Abu Zayd", "Abdelhamid Abu Zeid", "عبد الحميد أبو زيد"]]),
    ("djouadi", "person", f"{UN}, entry Yahia Djouadi; {PRESS}",
     [["Yahia Djouadi", "Yahya Djouadi", "Yahia Jouadi"]]),
    ("okacha", "person", f"{UN}, entry Djamel Okacha; {PRESS}",
     [["Djamel Okacha", "Jamel Okacha", "Djamel Oukacha"],
      ["Yahia Abou el Hammam", "Yahya Abu al-Hammam", "Yahia Abou al Hamam"]]),
    ("kheirou", "person", f"{UN}, entry Hamada Ould Mohamed Kheirou",
     [["Hamada Ould Mohamed Kheirou", "Hamada Ould Mohamed El Khairy", "Hamada Ould Kheirou"]]),
    ("tilemsi", "person", f"{UN}, entry Ahmed el Tilemsi; {PRESS}",
     [["Ahmed el Tilemsi", "Ahmad al-Tilimsi", "Ahmed Tilemsi"]]),
    ("koufa", "person", PRESS,
     [["Amadou Koufa", "Amadou Kouffa", "Hamadoun Koufa", "Hamadou Kouffa"]]),
    ("sahrawi", "person", f"{UN}, entry Adnan Abu Walid al-Sahrawi; Arabic from the press",
     [["Adnan Abu Walid al-Sahrawi", "Adnan Abou Walid al Sahraoui", "Adnane Abou Walid Al-Sahraoui",
       "عدنان أبو الوليد الصحراوي"],
      ["Lehbib Ould Ali Ould Said Ould Joumani", "Lahbib Ould Ali Ould Saïd Ould Joumani"]]),
    ("shekau", "person", f"{UN}, entry Abubakar Shekau; {PRESS}",
     [["Abubakar Shekau", "Abu Bakr Shekau", "Aboubakar Chekau", "Imam Abubakar Shekau", "أبو بكر شيكاو"]]),
    ("barnawi_musab", "person", f"{UN}, entry Abu Musab al-Barnawi; {PRESS}",
     [["Abu Musab al-Barnawi", "Abou Mossab al-Barnaoui", "Abu Mus'ab al-Barnawi"]]),
    ("ould_badi", "person", f"{UN}, entry Sultan Ould Badi; {PRESS}",
     [["Sultan Ould Badi", "Sultan Ould Bady", "Soultane Ould Badi"]]),
    ("hamaha", "person", PRESS, [["Omar Ould Hamaha", "Oumar Ould Hamaha", "Omar Ould Hama"]]),
    ("alghabass", "person", PRESS, [["Alghabass Ag Intalla", "Algabass Ag Intallah", "Alghabas ag Intalla"]]),
    ("bahanga", "person", "UCDP actor list v22.1 (actor 523, faction name); press",
     [["Ibrahim Ag Bahanga", "Ibrahim Bahanga"]]),
    ("ghazouani", "person", PRESS,
     [["Mohamed Ould Ghazouani", "Mohamed Ould Cheikh El Ghazouani", "Mohamed Ould El-Ghazouani"]]),
    ("ould_abdel_aziz", "person", "scenario sahel-2012 (name and Arabic alias); press",
     [["Mohamed Ould Abdel Aziz", "محمد ولد عبد العزيز", "Mohamed Ould Abdelaziz", "Muhammad Wuld Abd al-Aziz"]]),
    ("ould_el_hacen", "person", PRESS,
     [["Mohamed Lemine Ould El Hacen", "Mohamed Lemine Ould El Hassen", "Mohamed Lamine Ould el-Hassen"]]),
    ("ammari", "person", f"{UN}, entry Saifi Ammari (QDi.152)",
     [["Saifi Ammari", "Amari Saifi", "Saïfi Amari"],
      ["Abderrezak El Para", "Abderrezak Le Para", "Abderrazak el-Para", "Abdul Razzak al-Para"]]),
    ("sahraoui_nabil", "person", PRESS, [["Nabil Sahraoui", "Nabil Sahrawi"]]),
    ("hattab", "person", PRESS, [["Hassan Hattab", "Hasan Hattab", "حسن حطاب"]]),
    ("ibk", "person", PRESS, [["Ibrahim Boubacar Keïta", "Ibrahim Boubacar Keita", "IBK"]]),
    ("att", "person", "scenario sahel-2012 (name and aliases)",
     [["Amadou Toumani Touré", "Amadou Toumani Toure", "ATT"]]),
    ("targui", "person", "scenario sahel-2012 (name and aliases)",
     [["Abdelkarim Targui", "Abd al-Karim al-Targui", "Abdelkrim el-Targui", "عبد الكريم الطارقي"]]),
    ("bernaoui", "person", "scenario sahel-2012", [["Khaled Bernaoui"]]),
    ("ould_daddah", "person", PRESS, [["Ahmed Ould Daddah", "Ahmed Ould Dadah"]]),
    # Groups.
    ("aqim", "group", f"scenario sahel-2012; UCDP actor list v22.1 (actor 539); {UN}, entry QDe.014",
     [["Al Qaeda in the Islamic Maghreb", "AQIM", "The Organization of Al-Qaida in the Islamic Maghreb",
       "al-Qaida Organization in the Islamic Maghreb"],
      ["Al-Qaïda au Maghreb islamique", "AQMI"],
      ["Tanzim al-Qa'ida fi Bilad al-Maghrib al-Islamiya", "تنظيم القاعدة في بلاد المغرب الإسلامي"]]),
    ("gspc", "group", f"scenario sahel-2012; UCDP actor list v22.1 (actor 539, former name); {UN}, entry QDe.014",
     [["Groupe salafiste pour la prédication et le combat", "GSPC",
       "Le Groupe Salafiste Pour La Predication Et Le Combat"]]),
    ("boko_haram", "group", f"scenario sahel-2012; UCDP actor list v22.1 (actor 1051); {UN}, entry QDe.138",
     [["Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "جماعة أهل السنة للدعوة والجهاد",
       "Jama'atu Ahl as-Sunnah li-Da'wati wal-Jihad", "Jama'a Ahl al-sunnah li-al-Da'wa wa al-Jihad"]]),
    ("mujao", "group", f"UCDP actor list v22.1 (actor 1161); {UN}, entry QDe.134",
     [["Movement for Unity and Jihad in West Africa", "Movement for Unification and Jihad in West Africa", "MUJWA"],
      ["Mouvement pour l'Unification et le Jihad en Afrique de l'Ouest", "MUJAO",
       "Mouvement pour le Tawhîd et du Jihad en Afrique de l'Ouest"]]),
    ("ansar_dine", "group", f"UCDP actor list v22.1 (actor 1157); {UN}, entry QDe.135; Arabic from the press",
     [["Ansar Dine", "Ansar Eddine", "Ansar al-Din", "Ansar Ul-Din", "Ansar Al Din", "أنصار الدين"]]),
    ("mourabitoun", "group", f"UCDP actor list v22.1 (actor 4376); {UN}, entry QDe.141",
     [["al-Murabitun", "Al Mourabitoun", "Al-Mourabitoun", "المرابطون"]]),
    ("mouakaoune", "group", f"UCDP actor list v22.1 (actor 3481); {UN}, entry QDe.139",
     [["al-Mouwakoune Bi-Dima", "Al Mouakaoune Biddam"]]),
    ("moulathamoun", "group", f"{UN}, entry QDe.140; {PRESS}",
     [["Al Moulathamoun", "Al-Mulathameen", "al-Mulathamun"]]),
    ("ansaru", "group", f"{UN}, entry QDe.142",
     [["Jama'atu Ansarul Muslimina Fi Biladis Sudan", "Jamaatu Ansaril Muslimina fi Biladis Sudan"]]),
    ("jnim", "group", f"UCDP actor list v22.1 (actor 6716); {UN}, entry QDe.159; Arabic from the press",
     [["Jamaat Nusrat al-Islam wal-Muslimin", "JNIM", "Jama'a Nusrat ul-Islam wa al-Muslimin",
       "Jama'at Nasr al-Islam wal Muslimin", "جماعة نصرة الإسلام والمسلمين"],
      ["Group for Support of Islam and Muslims", "GSIM", "Group for the Support of Islam and Muslims"]]),
    ("isgs", "group", f"{UN}; {PRESS}",
     [["Islamic State in the Greater Sahara", "ISGS", "Islamic State of the Greater Sahara"]]),
    ("gicm", "group", f"{UN}, entry Moroccan Islamic Combatant Group",
     [["Groupe Islamique Combattant Marocain", "GICM"], ["Moroccan Islamic Combatant Group", "MICG"]]),
    ("lifg", "group", f"{UN}, entry Libyan Islamic Fighting Group",
     [["Libyan Islamic Fighting Group", "LIFG"]]),
    ("gct", "group", f"{UN}, entry Tunisian Combatant Group",
     [["Groupe Combattant Tunisien", "GCT"]]),
    ("ansar_sharia_tn", "group", f"{UN}, entry Ansar al-Shari'a in Tunisia",
     [["Ansar al-Shari'a in Tunisia", "Ansar al-Sharia in Tunisia", "Ansar al-Shariah in Tunisia"]]),
    ("tuareg", "group", "UCDP actor list v22.1 (actor 937); scenario sahel-2012 (French alias)",
     [["Tuareg", "Touareg"]]),
    ("takfir", "group", f"UCDP actor list v22.1 (actor 536); {PRESS}", [["Takfir wa'l Hijra", "Takfir wal-Hijra"]]),
    ("oulad_rachid", "group", f"UCDP actor list v22.1 (actor 911); {PRESS}", [["Oulad Rachid", "Awlad Rashid"]]),
    ("awlad_zeid", "group", f"UCDP actor list v22.1 (actor 1087); {PRESS}", [["Awlad Zeid", "Oulad Zeid"]]),
    ("daoussak", "group", f"UCDP actor list v22.1 (actor 6503); {PRESS}", [["Daoussak", "Dawsahak"]]),
    ("toubou", "group", f"UCDP actor list v22.1 (actor 3998); {PRESS}", [["Toubou", "Tubu", "Tebu"]]),
    ("kounta", "group", f"UCDP actor list v22.1 (actor 1013); {PRESS}", [["Kounta", "Kunta"]]),
    ("ansaroul", "group", f"UCDP actor list v22.1 (actor 6648); {PRESS}",
     [["Ansaroul Islam", "Ansarul Islam", "Ansar ul Islam"]]),
    ("dan_na", "group", f"UCDP actor list v22.1 (actor 7092); {PRESS}", [["Dan na Ambassagou", "Dan Na Amassagou"]]),
    ("ganda_iso", "group", f"UCDP actor list v22.1 (actor 3157); {PRESS}", [["Ganda Iso", "Ganda Izo"]]),
    ("ganda_koy", "group", "UCDP actor list v22.1 (actor 715, French and English columns)",
     [["Mouvement Patriotique Ganda Koy", "MPGK"], ["Ganda Koy", "Ghanda Koye"]]),
    ("janjaweed", "group", f"UCDP actor list v22.1 (actor 630); {PRESS}", [["Janjaweed", "Janjawid", "Djandjawid"]]),
    ("zaghawa", "group", f"UCDP actor list v22.1 (actor 705); {PRESS}", [["Zaghawa", "Zaghaoua"]]),
    ("masalit", "group", f"UCDP actor list v22.1 (actor 993); {PRESS}", [["Masalit", "Massalit"]]),
    ("koglweogo", "group", f"UCDP actor list v22.1 (actor 6857); {PRESS}", [["Koglweogo", "Kogl-weogo"]]),
]

# UCDP actors whose data name is the acronym of the original-language full name: the pair
# (NameOrig, NameOrigFull) is taken from the file. Ids seen above are skipped.
UCDP_ACRONYM_IDS = [403, 404, 438, 439, 440, 441, 444, 445, 446, 447, 448, 450, 451, 452, 453, 454, 455,
                    456, 521, 522, 524, 525, 526, 529, 537, 538, 543, 562, 563, 716, 934, 935, 1069,
                    1112, 1158, 4380, 5880, 6267, 6348, 6836, 7151, 7255]
# Ids whose pair is (NameOrig, NameOrigFullEng) because that column holds the French name.
UCDP_FRENCH_IN_ENG = {5880, 7255}
UCDP_SEEN = {1158: "mnla", 521: "mpla", 403: "fln", 6267: "flm", 538: "gia", 537: "mia"}

# Different people or groups that share a name word, picked by hand (the generated negatives
# below add every other pair of actors that shares a word).
HARD_NEGATIVES = [
    ("Khaled Bernaoui", "Abu Musab al-Barnawi", "different men; Bernaoui and Barnawi (from Borno) sound alike"),
    ("Khaled Bernaoui", "Khaled Abou El Abass", "different men sharing Khaled"),
    ("Nabil Sahraoui", "Adnan Abou Walid al Sahraoui", "different men sharing Sahraoui"),
    ("Yahia Djouadi", "Yahia Abou el Hammam", "different men sharing Yahia"),
    ("Mohamed Ould Abdel Aziz", "Mohamed Ould Ghazouani", "two presidents of Mauritania"),
    ("Mohamed Ould Abdelaziz", "Mohamed Lemine Ould El Hacen", "different men sharing Mohamed Ould"),
    ("Amadou Koufa", "Amadou Toumani Touré", "different men sharing Amadou"),
    ("Ibrahim Ag Bahanga", "Ibrahim Boubacar Keita", "different men sharing Ibrahim"),
    ("Iyad ag Ghali", "Alghabass Ag Intalla", "different men sharing the particle ag"),
    ("Ahmed el Tilemsi", "Ahmed Ould Daddah", "different men sharing Ahmed"),
    ("Abdelhamid Abou Zeid", "Abdelmalek Droukdel", "different men sharing Abd"),
    ("MNLA", "MPLA", "different movements, acronyms one letter apart"),
    ("FLAA", "FPLA", "different fronts, acronyms one letter apart"),
]

FUNCTION = {"de", "du", "des", "la", "le", "les", "l", "d", "of", "the", "in", "pour", "et", "and",
            "au", "en", "for", "a", "y"}


def words(name):
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return {w for w in re.split(r"[^\w]+", s.replace("'", "").replace("’", "")) if w} - FUNCTION


def ucdp_clusters(path):
    rows = {int(r["ActorId"]): r for r in csv.DictReader(open(path, encoding="utf-8"))}
    out = []
    for i in UCDP_ACRONYM_IDS:
        r = rows[i]
        acr = r["NameOrig"].strip()
        full = (r["NameOrigFullEng"] if i in UCDP_FRENCH_IN_ENG else r["NameOrigFull"]).strip()
        if not full or full == "n/a":
            continue
        aid = UCDP_SEEN.get(i, f"ucdp_{i}")
        out.append((aid, "group", f"UCDP actor list v22.1 (actor {i}: acronym and original-language name)", [[acr, full]]))
    return out


def split_of(actor):
    if actor in SEEN:
        return "dev"
    h = int(hashlib.sha256(actor.encode()).hexdigest(), 16)
    return "dev" if h % 2 == 0 else "test"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ucdp", default=os.path.join(REPO, "..", "shared", "data", "ucdp",
                                                   "ucdp_actors_v22_1_sahel_maghreb.csv"))
    ap.add_argument("--out", default=HERE)
    a = ap.parse_args()
    actors = CURATED + ucdp_clusters(a.ucdp)
    # Merge clusters of actors listed twice (the same actor from UCDP and from the curated list).
    merged = {}
    for aid, kind, source, clusters in actors:
        m = merged.setdefault(aid, {"kind": kind, "sources": [], "clusters": []})
        m["sources"].append(source)
        m["clusters"].extend(clusters)
    pairs = {"dev": [], "test": []}
    seen_pairs = set()

    def add(split, a_, b_, same, kind, source, why):
        key = tuple(sorted((a_, b_)))
        if a_ == b_ or key in seen_pairs:
            return
        seen_pairs.add(key)
        pairs[split].append({"a": a_, "b": b_, "same": same, "kind": kind, "why": why, "source": source})

    names_of = {}
    for aid, m in merged.items():
        split = split_of(aid)
        src = "; ".join(dict.fromkeys(m["sources"]))
        for cl in m["clusters"]:
            for i in range(len(cl)):
                for j in range(i + 1, len(cl)):
                    add(split, cl[i], cl[j], True, m["kind"], src, "variants of one name")
        names_of[aid] = [n for cl in m["clusters"] for n in cl]
    owner = {}
    for aid, names in names_of.items():
        for n in names:
            owner.setdefault(n, aid)
    for x, y, why in HARD_NEGATIVES:
        ax, ay = owner[x], owner[y]
        if split_of(ax) == split_of(ay):
            add(split_of(ax), x, y, False, merged[ax]["kind"], "hand-picked", why)
    ids = sorted(names_of)
    negatives = {"dev": [], "test": []}
    for i, ax in enumerate(ids):
        for ay in ids[i + 1:]:
            if split_of(ax) != split_of(ay) or merged[ax]["kind"] != merged[ay]["kind"]:
                continue
            for x in names_of[ax]:
                for y in names_of[ay]:
                    shared = words(x) & words(y)
                    if shared and x != y:
                        negatives[split_of(ax)].append((x, y, merged[ax]["kind"], "shares " + ", ".join(sorted(shared))))
    for split in ("dev", "test"):
        # At most two negatives per positive, the kept ones chosen by a hash of the pair so that the
        # choice is fixed and unrelated to how the matcher scores them.
        cap = 2 * sum(1 for p in pairs[split] if p["same"])
        negs = sorted(negatives[split], key=lambda n: hashlib.sha256((n[0] + "|" + n[1]).encode()).hexdigest())
        for x, y, kind, why in negs[:cap]:
            add(split, x, y, False, kind, "generated: different actors sharing a word", why)
        with open(os.path.join(a.out, f"{split}.jsonl"), "w", encoding="utf-8") as f:
            for p in pairs[split]:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        pos = sum(1 for p in pairs[split] if p["same"])
        print(f"{split}: {len(pairs[split])} pairs, {pos} positive, {len(pairs[split]) - pos} negative", file=sys.stderr)


if __name__ == "__main__":
    main()
