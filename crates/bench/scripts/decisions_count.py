#!/usr/bin/env python3
"""Counts the consultations of a data dir's records that carry a result,
a vote and a referral's body, by result and margin.

    python3 crates/bench/scripts/decisions_count.py /tmp/ka-data
"""
import collections
import glob
import sys

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main(data: str) -> None:
    total = with_result = with_votes = with_counts = referred = 0
    results = collections.Counter()
    margins = collections.Counter()
    for path in glob.glob(data + "/records/**/*.yaml", recursive=True):
        with open(path, encoding="utf-8") as f:
            record = yaml.load(f, Loader=LOADER)
        for c in record.get("consultations") or []:
            total += 1
            if c.get("result"):
                with_result += 1
                results[c["result"]] += 1
            votes = c.get("votes")
            if votes:
                with_votes += 1
                if votes.get("margin"):
                    margins[votes["margin"]] += 1
                if votes.get("yes") is not None or votes.get("no") is not None:
                    with_counts += 1
            if c.get("referred_to"):
                referred += 1
    print(f"consultations {total}; with a result {with_result}: {dict(results.most_common())}")
    print(
        f"with a vote {with_votes} (Ja/Nein counts {with_counts}; margins {dict(margins)}); "
        f"referrals naming the body {referred}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
