"""Claims with attribution: who asserts what in an article, by which reporting verb, how firmly.

A deterministic rule layer. An article is split into sentences, and sentences into clauses at
contrastive joints (", although", ", but", "; "). For each clause it finds the reporting verb
outside quotations ("said", "denied", "according to"), the speaker around it (an appositive
"the governor of Lugansk, Serhiy Gaidai", an inverted "..., said the General Staff", a pronoun
"he said"), and the proposition the speaker is asserting or denying. Later mentions ("Sak",
"the defence minister", "the ISW", "he") resolve to the fullest earlier name of that speaker.
A clause nobody is named for belongs to the article's outlet (its own narration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detector.hedges import HedgeCue, find_hedge_cues
from detector.text import split_sentences

DENIAL_VERBS = {"denied", "denies", "deny", "denying", "rejected", "rejects", "dismissed", "dismisses",
                "disputed", "disputes", "refuted", "refutes", "contradicted"}
REPORTING_VERBS = DENIAL_VERBS | {
    "said", "says", "say", "saying", "told", "tells", "added", "adds", "stated", "states", "announced",
    "announces", "claimed", "claims", "claiming", "admitted", "admits", "assured", "assures", "assuring",
    "maintained", "maintains", "hinted", "hints", "acknowledged", "acknowledges", "insisted", "insists",
    "confirmed", "confirms", "reported", "reports", "wrote", "writes", "noted", "notes", "stressed",
    "stresses", "affirmed", "affirms", "warned", "warns", "argued", "argues", "explained", "explains",
    "believes", "believe", "estimated", "estimates", "indicated", "indicates", "declared", "declares",
    "suggested", "suggests", "alleged", "alleges", "denounced", "informed", "informs", "conceded",
    "concedes", "contended", "asserted", "asserts", "predicted", "posted", "tweeted", "testified",
    "recalled", "revealed", "agreed", "countered", "replied", "responded", "underlined", "emphasised",
    "emphasized", "pointed", "accused", "vowed", "promised", "repeated", "reiterated",
}
# Verbs by which the speaker holds back: the frame is part of what the claim says.
HEDGING_VERBS = {"hinted", "hints", "suggested", "suggests", "believes", "believe", "estimated", "estimates",
                 "alleged", "alleges", "predicted", "speculated", "indicated", "indicates", "declined", "declines",
                 "refused", "refuses"}
# Verbs that attribute a claim without a "that" clause after them ("the union has put the toll at
# six", "the minister blamed the pilots"): what follows is not a proposition on its own, so the
# whole clause is what the claim says.
OBJECT_VERBS = {"put", "puts", "blamed", "blames", "defended", "defends", "credited", "credits", "described",
                "describes", "called", "calls", "accuse"}
REPORTING_VERBS |= HEDGING_VERBS | OBJECT_VERBS | {"found", "finds"}
# Lower-case words that may sit inside a speaker's name or role ("the defence minister").
_ROLE_WORDS = {
    "of", "for", "the", "and", "de", "la", "del", "van", "von", "bin", "al",
    "spokesman", "spokeswoman", "spokesperson", "spokespeople", "minister", "ministry", "governor", "president",
    "mayor", "head", "chief", "official", "officials", "officer", "police", "army", "military", "commander",
    "staff", "general", "prosecutor", "prosecutors", "agency", "company", "group", "residents", "resident",
    "witnesses", "witness", "analyst", "analysts", "expert", "experts", "doctors", "doctor", "lawyer",
    "lawyers", "judge", "court", "leader", "leaders", "secretary", "director", "ceo", "chairman",
    "chairwoman", "board", "council", "committee", "authorities", "authority", "government", "administration",
    "office", "service", "services", "coast", "guard", "navy", "forces", "defence", "defense", "foreign",
    "interior", "health", "regional", "local", "state", "deputy", "former", "senior", "top", "press", "armed",
    "prime", "vice", "federal", "national", "city", "provincial", "military's", "self-proclaimed", "separatist",
    "pro-russian", "ukrainian", "russian", "campaign", "party", "election", "electoral", "commission", "union",
    "workers", "researchers", "scientists", "investigators", "regulator", "regulators", "spokesmen",
    "representative", "ambassador", "envoy", "negotiator", "source", "sources", "people", "team", "officers",
    "federation", "firm", "bank", "utility", "operator", "association", "mission", "observers", "observer",
    "inspectorate", "inspector", "inspectors", "hospital", "university", "laboratory", "institute", "airline",
    "embassy", "parliament", "chamber", "fund", "watchdog", "coalition", "front", "movement", "organisation",
    "organization", "charity", "network", "department", "bureau", "brigade", "battalion", "unit", "families",
    "relatives", "survivors", "passengers", "miners", "crew", "employees", "manager", "managers", "engineer",
    "engineers", "monitors", "monitoring", "owner", "operators", "consortium", "manufacturer", "producer",
}
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_POSSESSIVES = {"his", "her", "its", "their"}
# Words that sit between a speaker and the verb without being part of the name.
_ADVERBS = {"also", "today", "yesterday", "tonight", "later", "earlier", "then", "again", "previously",
            "repeatedly", "once", "now", "still", "however", "further", "publicly", "separately", "had", "has",
            "have", "was", "were", "is", "would", "had", "already", "first", "subsequently", "meanwhile"}
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# "The commission on Thursday declared", "Vilcan put the toll at 11 on Sunday and said": a time
# phrase between a speaker and the verb is not part of the speaker.
_TRAILING_TIME = re.compile(
    rf"(?:\s*,?\s+(?:(?:late|early|earlier|later)\s+)?(?:on|by|from)?\s*(?:{_WEEKDAYS})"
    r"(?:\s+(?:morning|afternoon|evening|night))?|\s+(?:last|this|next)\s+(?:week|month|year)"
    r"|\s+in\s+an?\s+(?:statement|post|letter|interview|speech))(?:\s+and)?\s*$")
_CLAUSE_JOINTS = re.compile(r"(?:,\s+(?:although|though|but|while|whereas)\s+|;\s+)")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass
class Claim:
    """One attributed claim. ``stance`` is ``denies`` when the speaker denies the proposition."""

    id: str
    article_id: str
    index: int
    text: str
    speaker: str
    verb: str
    proposition: str
    stance: str = "asserts"
    quoted: bool = False
    narration: bool = False
    hedge_cues: list[HedgeCue] = field(default_factory=list)
    uncertain: bool | None = None  # whether it reads as uncertain, once judged (cues or hedge classifier)

    @property
    def reads_uncertain(self) -> bool:
        """The judged verdict, else whether it holds a hedge cue."""
        return bool(self.hedge_cues) if self.uncertain is None else self.uncertain

    @property
    def scored_text(self) -> str:
        """What the NLI model reads: the proposition, unless the frame itself denies or hedges it.

        "Shoigu told Putin that X" is scored as X, so the model compares what is claimed rather
        than who told whom; "Sak denied that X" and "he hinted that X" keep their frames.
        """
        verb = self.verb.lower()
        if self.narration or not self.proposition or verb in DENIAL_VERBS | HEDGING_VERBS | OBJECT_VERBS:
            return self.text
        return self.proposition

    def to_dict(self) -> dict:
        return {
            "id": self.id, "article_id": self.article_id, "index": self.index, "text": self.text,
            "speaker": self.speaker, "verb": self.verb, "proposition": self.proposition, "stance": self.stance,
            "quoted": self.quoted, "narration": self.narration, "uncertain": self.uncertain,
            "hedge_cues": [{"text": c.text, "start": c.start, "end": c.end} for c in self.hedge_cues],
        }

    @classmethod
    def from_dict(cls, row: dict) -> Claim:
        cues = [HedgeCue(c["text"], c["start"], c["end"]) for c in row.get("hedge_cues", [])]
        return cls(**{**row, "hedge_cues": cues})


@dataclass
class _Attribution:
    speaker: str
    verb: str
    proposition: str
    pronoun: bool = False
    known_only: bool = False  # a guess that counts only if it names an earlier speaker


def _mask_quotes(text: str) -> str:
    """The text with quoted passages blanked out (same length), so verbs inside quotes are ignored."""
    return _QUOTED.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def _strip_frame(text: str) -> str:
    text = text.strip().strip(",;:").strip()
    text = re.sub(r"^(?:that|whether)\s+", "", text)
    return text.rstrip(".").strip().strip("“”\"").strip().rstrip(",;:").strip()


def _speaker_before(segment: str) -> tuple[str, bool]:
    """The speaker phrase that ends ``segment`` (the words right before a reporting verb).

    Returns (phrase, is_pronoun); an empty phrase when the words there do not look like a name.
    """
    words = _TRAILING_TIME.sub("", segment.rstrip()).split()
    while words and words[-1].lower().strip(",") in _ADVERBS:
        words.pop()
    if not words:
        return "", False
    if words[-1].lower() in _PRONOUNS:
        return words[-1], True
    # An appositive "the governor of Lugansk, Serhiy Gaidai," keeps both parts.
    text = " ".join(words)
    appositive = re.search(r"(?:^|,\s*)([^,]+),\s*((?:[A-Z][\w’'.-]*\s*){1,4}),?$", text)
    if appositive and _looks_like_role(appositive.group(1)):
        role, name = appositive.group(1).strip(), appositive.group(2).strip()
        # "Its spokesman, Colonel Taras Hrynko": the owner is unknown here, the name is enough.
        return (name if role.split()[0].lower() in _POSSESSIVES else f"{role}, {name}"), False
    head = _head_before_aside(text)
    if head:
        return head, False
    phrase: list[str] = []
    reversed_words = text.rstrip(",").split()[::-1]
    for index, word in enumerate(reversed_words):
        bare = word.strip("(),")
        lowered = bare.lower()
        if word.endswith(",") and phrase:
            break
        if lowered in _DETERMINERS:
            phrase.insert(0, word)
            if index + 1 < len(reversed_words) and reversed_words[index + 1].lower() in {"of", "for"}:
                continue  # "the Institute for the Study of War"
            break
        stem = re.sub(r"[’']s$", "", lowered)
        if bare[:1].isupper() or lowered in _ROLE_WORDS or stem in _ROLE_WORDS or re.fullmatch(r"\(\w+\)", word):
            phrase.insert(0, word)
            continue
        break
    while phrase and phrase[0].lower() in {"of", "for", "and", "de"}:
        phrase.pop(0)
    whole = _whole_subject(text)
    if whole and len(whole.split()) > len(phrase):
        return whole, False
    # A lone capitalised first word of the sentence ("However", "Russia") is only a speaker when
    # it is the whole segment.
    if not phrase or all(w.lower() in _ROLE_WORDS | _DETERMINERS for w in phrase):
        has_role = any(w.lower() in _ROLE_WORDS - {"of", "for", "the", "and", "de"} for w in phrase)
        if not has_role:
            return "", False
    return " ".join(phrase).rstrip(","), False


_NOT_SUBJECT_WORDS = {"that", "which", "who", "whom", "whose", "is", "was", "were", "are", "be", "been", "if", "when",
                      "while", "because", "after", "before", "as", "but", "and", "or", "it", "there", "this", "not",
                      "never", "yet", "no"}


def _whole_subject(text: str) -> str:
    """A whole noun phrase opening the sentence before its verb ("The union branch at the plant"):
    two to eight words, no comma or quote, opening with a determiner or a capital, no clause words."""
    words = text.split()
    if not 2 <= len(words) <= 8 or re.search(r"[,;:“”\"]", text):
        return ""
    if not (words[0].lower() in _DETERMINERS or words[0][:1].isupper()) or words[0].lower() in _NOT_A_HEAD:
        return ""
    if any(w.lower() in _NOT_SUBJECT_WORDS for w in words) or words[-1].lower() in _ADVERBS:
        return ""
    return " ".join(words)


_NOT_A_HEAD = {"in", "on", "at", "after", "before", "since", "during", "only", "however", "but", "and", "as",
               "while", "when", "although", "though", "if", "because", "with", "without", "by", "for", "from"}


def _head_before_aside(text: str) -> str:
    """The subject of "Open Tide, a rescue organisation that runs a hotline, said" or of
    "The mayor of Brezhany, Ivan Sorokha, who left the town in April, said": the noun phrase
    (and name) before an aside that runs up to the verb."""
    if not text.endswith(",") or re.search(r"[“”\"]", text):
        return ""
    match = re.match(r"^([^,]{2,80}?),\s+(?:((?:[A-Z][\w’'.-]*\s*){1,4}),\s+)?(?:who|which|that|a|an|the|speaking|citing)\b", text)
    if not match:
        return ""
    head = match.group(1).strip()
    words = head.split()
    if len(words) > 8 or words[0].lower() in _NOT_A_HEAD or not (words[0][:1].isupper() or words[0].lower() in _DETERMINERS):
        return ""
    return f"{head}, {match.group(2).strip()}" if match.group(2) else head


def _looks_like_role(chunk: str) -> bool:
    words = chunk.split()
    return 0 < len(words) <= 12 and (words[0].lower() in _DETERMINERS or words[0][:1].isupper())


def _speaker_after(segment: str) -> str:
    """The speaker right after an inverted verb: "said the General Staff of ..., noting ..." """
    phrase = re.split(r",|\s+(?:in|on|at|during|after|before|when|while|to)\s+(?=[a-z])|\.$", segment.strip(), maxsplit=1)[0]
    phrase = phrase.strip().rstrip(".")
    words = phrase.split()
    if not words or len(words) > 14:
        return ""
    if words[0].lower() in _PRONOUNS:
        return words[0] if len(words) == 1 else ""  # "said he." but not "said it was aware"
    return phrase if (words[0].lower() in _DETERMINERS or words[0][:1].isupper()) else ""


def _proposition_after(after: str, leading_quote: str = "") -> str:
    """What a reporting verb introduces: a "that" clause, a quotation right after the verb
    ("told Putin “…”"), the quotation the clause opened with ("“…,” she said in a statement"),
    or else the rest of the clause."""
    that = re.search(r"\b(?:that|whether)\s+(?!department\b|report\b|statement\b)", after)
    quote = re.search(r"[“\"]([^”\"]+)[”\"]", after)
    if that and (not quote or that.start() < quote.start()):
        return _strip_frame(after[that.end():])
    if quote and len(after[: quote.start()].split()) <= 4:
        return _strip_frame(quote.group(1))
    if leading_quote:
        return _strip_frame(leading_quote)
    return _strip_frame(after)


def _according_to(clause: str, masked: str) -> _Attribution | None:
    according = re.search(r"\baccording to\s+", masked, flags=re.IGNORECASE)
    if not according:
        return None
    after = clause[according.end():]
    if according.start() < 3:  # "According to X, proposition."
        speaker, _, proposition = after.partition(",")
    else:  # "proposition, according to X, role."
        speaker = after.strip().rstrip(".")
        proposition = clause[: according.start()]
    by = re.search(r"\bby\s+(.+)$", speaker)  # "data provided by the governor"
    speaker = (by.group(1) if by else speaker).strip()
    speaker = re.sub(r"\s+(?:today|yesterday|on \w+day)$", "", speaker)
    if len(speaker.split()) > 14:
        return None
    return _Attribution(speaker, "according to", _strip_frame(proposition),
                        pronoun=speaker.lower() in _PRONOUNS | _POSSESSIVES)


def _reporting_verbs(masked: str) -> list[re.Match]:
    verbs = []
    for match in re.finditer(r"[\w’']+", masked):
        lowered = match.group(0).lower()
        if lowered not in REPORTING_VERBS:
            continue
        if lowered in {"reports", "claims", "states", "notes", "says"} and re.search(
            r"\b(?:the|a|an|these|those|of)\s+$", masked[: match.start()]
        ):
            continue  # a noun: "the reports", "the claims"
        verbs.append(match)
    return verbs


def _attribute(clause: str) -> _Attribution | None:
    """Find the reporting frame of one clause, or None when it has none (narration)."""
    masked = _mask_quotes(clause)
    according = _according_to(clause, masked)
    if according:
        return according
    verbs = _reporting_verbs(masked)
    if not verbs:
        return None
    as_frame = re.match(r"^As\s+", clause)
    if as_frame:  # "As the governor, Pavlo Kyrylenko, said in June, proposition." / "As indicated on his channel, ..."
        verb = verbs[0]
        rest = clause[verb.end():].split(",", 1)
        if len(rest) == 2:
            between = clause[as_frame.end(): verb.start()].strip()
            possessive = re.search(r"\b(his|her|its|their)\b", rest[0])
            if not between and possessive:
                return _Attribution(possessive.group(1), verb.group(0), _strip_frame(rest[1]), pronoun=True)
            speaker, pronoun = _speaker_before(between)
            if speaker:
                return _Attribution(speaker, verb.group(0), _strip_frame(rest[1]), pronoun)
    for verb in verbs:
        word = verb.group(0)
        before, after = clause[: verb.start()], clause[verb.end():]
        stripped_before = before.rstrip()
        if not stripped_before or stripped_before[-1] in "”\"" or (
            stripped_before[-1] == ","
            and not re.search(r",\s*(?:[A-Z][\w’'.-]*\s*){1,4},$", stripped_before)
            and not _head_before_aside(stripped_before)
        ):
            # Inverted: "“...,” said X." or "..., said the General Staff, noting ..."
            speaker = _speaker_after(after)
            if speaker:
                return _Attribution(speaker, word, _strip_frame(before), speaker.lower() in _PRONOUNS)
        # "..., Sak said." / "“...,” he told the BBC.": a short speaker after the proposition.
        tail = re.search(r"(?:,|”|\")\s*([^,”\"]*)$", before)
        opens_with_quote = clause.lstrip()[:1] in "“\"" and re.search(r"[”\"]", before.lstrip()[1:])
        if tail and tail.group(1).strip() and len(tail.group(1).split()) <= 6 and (
            len(after.split()) <= 6 or opens_with_quote
        ):
            speaker, pronoun = _speaker_before(tail.group(1))
            if speaker:
                return _Attribution(speaker, word, _strip_frame(before[: tail.start() + 1]), pronoun)
        speaker, pronoun = _speaker_before(before)
        if speaker:
            leading = re.match(r"^\s*[“\"]([^”\"]+)[”\"]", clause) if opens_with_quote else None
            return _Attribution(speaker, word, _proposition_after(after, leading.group(1) if leading else ""), pronoun)
    # "Shoigu made this announcement after assuring that ...": the sentence's subject, if known.
    subject = re.match(r"^((?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w'-]*)(?:’s?|'s)?\b", clause)
    if subject:
        return _Attribution(subject.group(1), verbs[0].group(0), _proposition_after(clause[verbs[0].end():]),
                            known_only=True)
    return None


def _mention_key(name: str) -> set[str]:
    return {w.strip("().,’'s").lower() for w in name.split() if w.strip("().,").lower() not in _DETERMINERS and w}


def _is_body(name: str) -> bool:
    """A body ("the General Staff", "Norbeck") rather than a person ("Defence Minister Arkady Velmin")."""
    last = name.split(",")[-1]
    is_person = re.search(r"[A-Z][\w’'-]+\s+[A-Z][\w’'-]+$", last.strip()) is not None
    return not is_person or bool(set(last.lower().split()[-2:]) & _BODY_WORDS)


_BODY_WORDS = {"ministry", "staff", "agency", "company", "group", "government", "office", "commission", "council",
               "committee", "army", "police", "court", "authorities", "institute", "service", "guard", "party"}
_NARRATION_SUBJECT = re.compile(r"^((?:The\s+)?(?:[A-Z][\w’'-]+\s+){1,4}[A-Z][\w’'-]+)\s+(?:was|is|has|had|were|are|gave|did|made)\b")


class SpeakerResolver:
    """Maps later mentions ("Sak", "the defence minister", "the ISW", "he") to the fullest earlier name."""

    def __init__(self) -> None:
        self.known: list[str] = []

    def resolve(self, mention: str, pronoun: bool = False, known_only: bool = False, context: str = "") -> str:
        """The speaker's fullest known name; "" when a pronoun or a ``known_only`` guess has none.

        A possessive ("his spokesman") belongs to a known speaker named earlier in ``context``
        (the clause), else to the last speaker.
        """
        if pronoun:
            lowered = mention.lower()
            if lowered not in _POSSESSIVES | {"he", "she", "they", "it"} or not self.known:
                return ""
            # "he"/"she" prefer a person, "it"/"its"/"they" a body ("the General Staff").
            wants_body = lowered in {"it", "its", "they", "their"}
            return next((n for n in reversed(self.known) if _is_body(n) == wants_body), self.known[-1])
        key = _mention_key(mention) - {"of", "for", "and"}
        for name in reversed(self.known):
            if key and key <= _mention_key(name):
                self._remember(name)
                return name
        if known_only:
            return ""
        possessive = re.match(r"^(his|her|its|their)\s+(.+)$", mention, flags=re.IGNORECASE)
        if possessive and not set(possessive.group(2).lower().split()) & _ROLE_WORDS:
            return ""  # "its own judicial authorities": not a speaker we can name
        if possessive and self.known:
            owner = next((name for name in reversed(self.known) if self._named_in(name, context)), self.known[-1])
            name = f"{owner}’s {possessive.group(2)}"
        else:
            name = mention
        self._remember(name)
        return name

    def note(self, name: str) -> None:
        """Someone named in narration ("President Olena Marchuk was more cautious."): a later
        "she said" may refer to them."""
        self.resolve(name)

    @staticmethod
    def _named_in(name: str, context: str) -> bool:
        surname = [w for w in name.split() if w[:1].isupper()][-1:]
        return bool(surname) and re.search(rf"\b{re.escape(surname[0].strip(',()'))}\b", context) is not None

    def _remember(self, name: str) -> None:
        if name in self.known:
            self.known.remove(name)
        self.known.append(name)


def _join_open_quotes(sentences: list[str]) -> list[str]:
    """Rejoin sentences that the splitter cut inside a quotation of several sentences."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and (joined[-1].count("“") > joined[-1].count("”") or joined[-1].count('"') % 2):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined


def _mostly_quoted(clause: str) -> bool:
    """Whether the claim is a quotation (not just a quoted phrase such as “full control”)."""
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(clause))
    open_quote = clause.find("“")
    if open_quote >= 0 and "”" not in clause[open_quote:]:
        quoted += len(clause) - open_quote  # a quotation running on past the clause
    return quoted > len(clause) / 2


def split_clauses(sentence: str) -> list[str]:
    """A sentence cut at contrastive joints outside quotations ("…, although he hinted that …")."""
    masked = _mask_quotes(sentence)
    clauses, start = [], 0
    for joint in _CLAUSE_JOINTS.finditer(masked):
        clauses.append(sentence[start: joint.start()].strip())
        start = joint.end()
    clauses.append(sentence[start:].strip())
    return [c for c in clauses if len(re.findall(r"[A-Za-z]{2,}", c)) >= 3]


def extract_claims(text: str, article_id: str, outlet: str = "", key: str | None = None) -> list[Claim]:
    """Every sentence or clause of an article as an attributed :class:`Claim`, in reading order.

    ``outlet`` names the article's own voice; without it, narration is credited to
    ``"<article_id> (narration)"``. Claim ids are ``<key>#<n>`` (``key`` defaults to ``article_id``).
    """
    narrator = outlet or f"{article_id} (narration)"
    resolver = SpeakerResolver()
    claims: list[Claim] = []
    for sentence in _join_open_quotes(split_sentences(text)):
        previous: _Attribution | None = None
        for clause in split_clauses(sentence):
            attribution = _attribute(clause)
            if attribution is None and previous is not None and re.match(r"^[a-z]", clause):
                # "..., but stressed that ...": the subject carries over from the first clause.
                verb = re.match(r"^(\w+)\s+(?:that\s+)?(.*)$", clause)
                if verb and verb.group(1).lower() in REPORTING_VERBS:
                    attribution = _Attribution(previous.speaker, verb.group(1), _strip_frame(verb.group(2)))
            speaker = (
                resolver.resolve(attribution.speaker, attribution.pronoun, attribution.known_only, clause)
                if attribution else ""
            )
            if attribution and speaker:
                previous = _Attribution(speaker, attribution.verb, attribution.proposition)
                verb, proposition, narration = attribution.verb, attribution.proposition or _strip_frame(clause), False
            else:
                speaker, verb, proposition, narration = narrator, "", _strip_frame(clause), True
                subject = _NARRATION_SUBJECT.match(clause)
                if subject:
                    resolver.note(subject.group(1))
            claims.append(Claim(
                id=f"{key or article_id}#{len(claims)}",
                article_id=article_id,
                index=len(claims),
                text=clause,
                speaker=speaker,
                verb=verb,
                proposition=proposition,
                stance="denies" if verb.lower() in DENIAL_VERBS else "asserts",
                quoted=_mostly_quoted(clause),
                narration=narration,
                hedge_cues=find_hedge_cues(clause),
            ))
    return claims
