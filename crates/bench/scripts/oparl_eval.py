#!/usr/bin/env python3
"""Measures a build of a synced OParl archive against the archive's own metadata.

    python3 crates/bench/scripts/oparl_eval.py PAPERS_DIR DATA_DIR

PAPERS_DIR holds the OParl Paper objects as JSON files (one per paper, as in
the Karlsruhe syndication's docs/papers); DATA_DIR is what `ratsdoc build`
wrote from the synced folder. Prints one line per target:

- records: every paper not marked deleted has a record with the reference,
  kind, date and consultations its metadata gives;
- roles: files whose names carry the words Stellungnahme / StN,
  Protokoll / Abstimmungsergebnis, Anlage / Anhang, Antrag / Anfrage /
  Beschlussvorlage / Informationsvorlage, judged by the first of these
  groups that their name holds;
- amendments: pairs (amendment, amended) against superordinatedPaper and
  subordinatedPaper, where exactly one side is an Änderungs-/Ergänzungsantrag.
"""
import glob
import json
import os
import re
import sys

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:
    Loader = yaml.SafeLoader

KINDS = [  # the table of crates/oparl/src/kinds.rs, first match wins
    ("contains", "änderungsantrag", "aenderungsantrag"),
    ("contains", "änderungs-/ergänzungsantrag", "aenderungsantrag"),
    ("contains", "ergänzungsantrag", "aenderungsantrag"),
    ("contains", "anfrage", "anfrage"),
    ("exact", "antrag", "beschlussantrag"),
    ("prefix", "haushalt", "beschlussantrag"),
    ("contains", "beschlussvorlage", "beschlussvorlage"),
    ("contains", "informationsvorlage", "informationsvorlage"),
]


def expected_kind(paper_type):
    t = " ".join((paper_type or "").split()).lower()
    for how, word, kind in KINDS:
        if (how == "exact" and t == word) or (how == "prefix" and t.startswith(word)) or (
            how == "contains" and word in t
        ):
            return kind
    return "sonstige"


def squash(s):
    return " ".join((s or "").split())


def name_role(name):
    words = set(re.split(r"[^a-zäöüß]+", (name or "").lower()))
    if words & {"stellungnahme", "stn"}:
        return "statement"
    if words & {"protokoll", "protokollauszug", "abstimmungsergebnis"}:
        return "minutes"
    if words & {"anlage", "anlagen", "anhang"}:
        return "attachment"
    if words & {"antrag", "anfrage", "beschlussvorlage", "informationsvorlage"}:
        return "paper"
    return None


def main(papers_dir, data_dir):
    papers = [json.load(open(f)) for f in glob.glob(os.path.join(papers_dir, "*.json"))]
    records = {}
    for f in glob.glob(os.path.join(data_dir, "records", "*.yaml")):
        r = yaml.load(open(f), Loader=Loader)
        records[r["id"]] = r
    live = [p for p in papers if not p.get("deleted")]
    by_url = {p["id"]: p for p in papers}

    checks = {"record": 0, "kind": 0, "date": 0, "consultations": 0}
    roles_right = roles_judged = 0
    for p in live:
        r = records.get(squash(p.get("reference")))
        if r is None:
            continue
        checks["record"] += 1
        checks["kind"] += r["kind"] == expected_kind(p.get("paperType"))
        checks["date"] += str(r.get("date") or "") == (p.get("date") or "")
        checks["consultations"] += len(r.get("consultations") or []) == len(p.get("consultation") or [])
        names = {f.get("name"): f.get("role") for f in r.get("files") or []}
        for f in p.get("auxiliaryFile", []) + ([p["mainFile"]] if p.get("mainFile") else []):
            want = name_role(f.get("name"))
            if want is None:
                continue
            roles_judged += 1
            roles_right += names.get(squash(f.get("name"))) == want
    n = len(live)
    for k, v in checks.items():
        print(f"{k}: {v}/{n} = {v / n:.4f}")
    print(f"roles judged by name words: {roles_right}/{roles_judged} = {roles_right / max(roles_judged, 1):.4f}")

    truth = set()
    for p in live:
        for url in p.get("superordinatedPaper", []) + p.get("subordinatedPaper", []):
            q = by_url.get(url)
            if not q or q.get("deleted"):
                continue
            a = p["paperType"].startswith("Änderungs")
            b = q["paperType"].startswith("Änderungs")
            if a != b:
                pair = (p, q) if a else (q, p)
                truth.add((squash(pair[0]["reference"]), squash(pair[1]["reference"])))
    links = yaml.load(open(os.path.join(data_dir, "links.yaml")), Loader=Loader) or {}
    predicted = {(a["amendment"], a["amended"]) for a in links.get("amendments") or []}
    judged = {a for a, _ in truth}
    pred_judged = {x for x in predicted if x[0] in judged}
    hit = len(pred_judged & truth)
    print(f"amendments in the RIS's relations: {len(truth)} pairs, {len(judged)} amendments")
    print(f"amendment precision: {hit}/{len(pred_judged)} = {hit / max(len(pred_judged), 1):.4f}")
    print(f"amendment recall: {hit}/{len(truth)} = {hit / max(len(truth), 1):.4f}")
    amendments = [p for p in live if p["paperType"].startswith("Änderungs")]
    linked = {a for a, _ in predicted}
    covered = sum(squash(p["reference"]) in linked for p in amendments)
    print(f"amendments linked to something: {covered}/{len(amendments)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
