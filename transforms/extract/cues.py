"""The catalog's cue phrases compiled into one regex, and the rule that picks a metric.

Each metric's `cues:` in metrics.yaml lists phrases by role:
  after    right after the figure ("400/991 nhiệm vụ"), at most two words between
  lead     right before the figure, only small words between ("tăng 15,7%")
  near     the metric's name anywhere in the sentence, nearer is better ("PCI ... xếp thứ 38")
  before   like near, but only before the figure ("cắt giảm ... 247 TTHC")
  context  anywhere in the sentence or the one before it in its paragraph
  topic    anywhere earlier in the article: the index or programme a component belongs to
           ("nhóm chỉ số … đạt 17,5 điểm" only after "Bộ chỉ số phục vụ" was named)
  exclude  anywhere in the sentence: never this metric
  not_lead right before the figure: not this metric for that figure ("còn 1.873 thủ tục"
           is what remains after a cut, not the cut)
  whole    before the figure, instead of a verb of what was done: the figure is the whole
           that the metric's next figure is a part of ("giao 979 nhiệm vụ … Đến nay có 478
           nhiệm vụ đã hoàn thành" is 478/979; read by transforms.extract)
Every role a metric lists must be satisfied (any phrase of the role will do); among the
metrics that qualify the highest score wins (see `best_metric`). Top-level
`breakdown_cues:` name the parts of a whole (`cap_huyen`: "cấp huyện", ...).

Phrases are matched case-insensitively on whole words of the folded text. All phrases
of the catalog form one Aho–Corasick automaton (transforms.extract.phrases), so a sentence is
scanned once whatever the size of the catalog; a phrase that contains another (e.g. "hồ sơ trực
tuyến" / "hồ sơ") carries the shorter one's roles too.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from transforms.catalog import Catalog, CatalogError, Metric, load_catalog
from transforms.extract.numbers import Number, fold
from transforms.extract.phrases import PhraseMatcher

ROLES = ("after", "lead", "near", "before", "context", "topic", "exclude", "not_lead", "whole")
_VETO_ROLES = ("exclude", "not_lead")
_EXTRACT_ROLES = ("whole",)  # not matched here: transforms.extract.article reads them
_NAME_ROLES = ("near", "before")
_WEIGHT = {"after": 3.0, "lead": 3.0, "near": 2.0, "before": 2.0, "context": 1.0, "topic": 0.5}
MAX_DISTANCE = 200        # characters between a name cue and its figure
BREAKDOWN_REACH = 150     # characters a breakdown phrase may be from its figure
MAX_FORWARD = 50          # a name written after its figure follows it closely ("xếp thứ 5 về PCI")
LEAD_NAME_REACH = 230     # a metric read from its verb ("tăng 15,7%") has its name this close (penalties included)
CARRY_DISTANCE = 150      # how far a name cue of the sentence before counts as being
CROSS_PENALTY = 100       # per other figure between a name cue and its figure
OUT_OF_RANGE_PENALTY = 10  # below any in-range reading's score: chosen only when alone
_START = attrgetter("start")
_UNSEEN = (float("inf"), 0)  # (distance, phrase length) of a role not yet satisfied
# A level label followed by another level: "mức độ 3, 4", "mức 3 và 4".
_MORE_LEVELS_AFTER = re.compile(r"(?<=\d)\s*(?:,|và|-|–)\s*\d(?!\d)")
# Up to two words between a figure and its noun, unless the first counts groups or kinds:
# "15 nhóm thủ tục" is 15 groups, not 15 procedures.
_AFTER_GAP = re.compile(r"^[ ]?(?!(?:nhóm|loại|danh mục) )(?:[^\W\d]+ ){0,2}$")
# The verb of a passive clause follows its counted noun: "50 nghị định ... được ban hành".
# Within one clause (no punctuation, no other figure), not negated and not a condition
# ("2 dự án nếu bảo đảm điều kiện thì có thể thông qua").
_PASSIVE_GAP = re.compile(r" (?![^\d,;:.()]*\bnếu\b)[^\d,;:.()]{1,48}(?<!chưa )(?<!chưa được )(?<!không )$")
# "… đơn vị sự nghiệp công lập … giảm (635 đơn vị)": after the figure only the head noun
# of a cue phrase stated earlier in the sentence.
_HEAD_AFTER = re.compile(r"\s*\)?\s*(?P<head>[^\W\d]+ [^\W\d]+)(?!\w)")
# No alternative may be a word sequence of others ("ước đạt" is "ước" then "đạt"): two
# ways to read one gap double the backtracking per repetition (2^k on a failing gap).
# A verb that says the thing was not done: "chưa hoàn thành 501 nhiệm vụ", or was only
# proposed: "đề xuất bãi bỏ 95 điều kiện kinh doanh" (a recommendation is no result).
# ("số kiến nghị giải quyết được": the petitions, a noun)
_NEGATED_BEFORE = re.compile(r"(?:(?:chưa|không)(?: được| thể| phải)?|(?<!số )(?<!các )(?<!những )"
                             r"(?:đề xuất|đề nghị|kiến nghị))(?: việc)?\s+$")
# The passive predicate right after a figure's noun: "850 kiến nghị (đã) được xử lý".
_OWN_PASSIVE_RE = re.compile(r"(?: [^\W\d]+){1,3}? (?:đã |đều )?(?:được|bị) [^\W\d]")
# A result verb opening one of several predicates of a subject: "… đạt 105,3% dự toán, tăng 13,3%".
_PREDICATE_BEFORE = re.compile(r"(?:đạt|là|tăng|giảm|bằng|chiếm|vượt)(?: (?:được|khoảng|gần|hơn|trên))? $")
# Between an index's name and its abbreviation: "chỉ số năng lực cạnh tranh cấp tỉnh (PCI)".
_ABBREVIATION_GAP = re.compile(r"(?:\s+[^\W\d]+){0,3}\s*\(\s*")
# What opens a rank and what a percentage is, for telling the kind of a figure from its text.
_RANK_LEAD = re.compile(r"(?:thứ|hạng|vị trí|bậc)\s*$")
_PERCENT_AT = re.compile(r"[\d.,]+\s*(?:%|phần trăm)")
# Between the names of a list of indices: "PAPI, PCI và PAR INDEX", "(PAPI), chỉ số …"; a
# separator is needed ("… Bộ chỉ số phục vụ người dân, doanh nghiệp Chỉ số PAR INDEX xếp thứ
# 45" is a title run into its first sentence, not a list).
_LIST_GAP = re.compile(r"[\s()]*(?:[,–-][\s,()–-]*(?:(?:và|hoặc)\s+)?|(?:và|hoặc)\s+)")
# Verbs in a series before one figure: "tiếp nhận, giải quyết và trả kết quả 4.572 hồ sơ".
_CHAIN_GAP = re.compile(r"\s*(?:,\s*(?:và\s+)?|và\s+)")
# ... whose last verb may be one the catalog does not list, then words of the clause
# ("… và trả kết quả theo cơ chế một cửa 3.172").
_CHAIN_TAIL = re.compile(r"(?:\s*(?:,\s*(?:và\s+)?|và\s+))?(?:[^\W\d]+ ){0,10}")
# A colon that opens a list of the parts of a figure named before it: its items, each
# closed by ';', still belong to that name ("tiếp nhận 185.420 hồ sơ, trong đó: cấp tỉnh:
# 42.310 hồ sơ; cấp huyện: 61.250 hồ sơ").
_LIST_LEAD_IN = re.compile(r"(?:trong đó|bao gồm|gồm|cụ thể)\s*:")
# A clause that elides its subject, the one of the clause before, naming only whose it is:
# "Tỷ lệ số hóa hồ sơ của bộ, ngành đạt 62,2%; của địa phương đạt 54%".
_ELIDED_SUBJECT = re.compile(r"\s*(?:còn\s+)?của\s")
# ... or sets a goal for it, the figure a bare result: "tỷ lệ hồ sơ trực tuyến mới đạt
# 38,7%; tỉnh phấn đấu đến cuối năm 2024 đạt trên 50%".
_GOAL_CLAUSE = re.compile(r"\s*(?:[^\W\d]+\s+){0,2}?(?:phấn đấu|đặt mục tiêu|cố gắng)\s")
_CLAUSE_END = re.compile(r"\s*(?:[.;,!?)]|$)")  # nothing of its own after a bare result ("… đạt 70% hồ sơ …" has)
_BARE_RESULT_BEFORE = re.compile(r"(?:đạt|lên)(?: (?:khoảng|gần|hơn|trên|tối thiểu|ít nhất))? $")
# A sentence that opens with its topic: "Về xếp hạng Chính phủ điện tử (…), …".
_HEADING_RE = re.compile(r"[-–+•*\s]*về\s")
_LEAD_GAP = re.compile(r"^[\s:,]*(?:(?:đạt|là|được|có|thêm|hơn|trên|khoảng|gần|từ|với|tới|đến|lên|"
                       r"xuống|ước|đạt tỷ lệ|chiếm)\s+)*$")


class CueHit(NamedTuple):  # a tuple: a sentence makes many, and a frozen dataclass is slow to build
    start: int
    end: int
    metric_id: str
    role: str


@dataclass
class SentenceCues:
    """The cue hits of one sentence: positional ones sorted by start, plus the metrics
    whose context or exclude phrases occur (positions do not matter for those)."""
    hits: list[CueHit] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    context: dict[str, int] = field(default_factory=dict)  # metric -> longest context phrase
    excluded: dict[str, list[int]] = field(default_factory=dict)  # metric -> where its exclude phrases start
    # (start, end, label), scanned when a figure first needs them: most never do
    breakdowns: list[tuple[int, int, str]] | None = None
    negations: bool = False  # the sentence has "chưa", "không", "đề xuất"…: a verb may be negated or proposed
    passives: bool = False   # the sentence has "được" or "bị": a figure may have a passive verb of its own
    figure_starts: list[int] = field(default_factory=list)  # set by best_metric
    predicate_led: set[int] | None = None  # figure starts a result verb opens (_coordinated), when first needed
    heading_names: list[CueHit] | None = None  # index names in a "Về …," heading (best_metric), when first needed
    breakdown_starts: list[int] = field(default_factory=list)
    listed: list[tuple[int, int]] | None = None  # spans naming several indices as a list, when first needed

    def add_context(self, context: dict[str, int]) -> None:
        for metric_id, length in context.items():
            self.context[metric_id] = max(length, self.context.get(metric_id, 0))


@dataclass(frozen=True)
class Choice:
    metric: Metric
    score: float
    distance: int  # characters to the nearest name cue (0 for after/lead-only matches)


class CueIndex:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        roles_of: dict[str, list[tuple[str, str]]] = {}
        self.required: dict[str, frozenset[str]] = {}  # roles a metric needs; always one positional (best_metric)
        for metric in catalog.metrics.values():
            if unknown := set(metric.cues) - set(ROLES):
                raise CatalogError(f"catalog {catalog.path}: metric {metric.id}: unknown cue role(s) {sorted(unknown)}")
            for role, phrases in metric.cues.items():
                if role in _EXTRACT_ROLES:
                    continue
                for phrase in phrases or ():
                    roles_of.setdefault(fold(phrase).strip(), []).append((metric.id, role))
            self.required[metric.id] = frozenset(r for r in metric.cues if r not in _VETO_ROLES + _EXTRACT_ROLES)
            if not self.required[metric.id] - {"context", "topic"}:
                raise CatalogError(f"catalog {catalog.path}: metric {metric.id}: needs a cue that says where its "
                                   f"figure is (after, lead, near or before), not only context or topic")
        self._topics: dict[str, list[str]] = {}  # phrase -> the metrics it is the topic of
        for metric in catalog.metrics.values():
            for phrase in metric.cues.get("topic") or ():
                self._topics.setdefault(fold(phrase).strip(), []).append(metric.id)
        self._topic_matcher = PhraseMatcher(self._topics) if self._topics else None
        # the names of the ranking indices (the `near` cues of metrics that take ranks), for
        # telling which index an article is about (extract._article_index_cues)
        self._index_names: dict[str, list[str]] = {}
        for metric in catalog.metrics.values():
            if "rank" in metric.units:
                for phrase in metric.cues.get("near") or ():
                    self._index_names.setdefault(fold(phrase).strip(), []).append(metric.id)
        self._index_matcher = PhraseMatcher(self._index_names)
        self._other_rankings = PhraseMatcher(fold(p).strip() for p in catalog.other_rankings)
        self._ranked = frozenset(m.id for m in catalog.metrics.values() if "rank" in m.units)
        # A phrase carries the roles of every shorter phrase it contains, at its offset;
        # split by what `scan` does with them: (context lengths, excluded metrics, hits).
        self._roles: dict[str, tuple[list[tuple[str, int]], set[str], list[tuple[int, int, str, str]]]] = {}
        for p in roles_of:
            roles = [(0, len(p), m, r) for m, r in roles_of[p]]
            for q in roles_of:
                if len(q) < len(p):
                    for m in re.finditer(rf"(?<!\w){re.escape(q)}(?!\w)", p):
                        roles += [(m.start(), m.end(), mid, r) for mid, r in roles_of[q]]
            self._roles[p] = ([(mid, e - s) for s, e, mid, r in roles if r == "context"],
                              {mid for s, e, mid, r in roles if r == "exclude"},
                              [t for t in roles if t[3] not in ("context", "exclude", "topic")])
        self._matcher = PhraseMatcher(roles_of)
        # the head nouns of each metric's long names ("đơn vị" of "đơn vị sự nghiệp công lập"),
        # which a figure written after any of its names may stand for (_head_noun_distance)
        self._heads = {m.id: frozenset(" ".join(fold(p).split()[:2]) for p in m.cues.get("after") or ()
                                       if len(p.split()) >= 3) for m in catalog.metrics.values()}
        self._metrics_by_unit: dict[str, frozenset[str]] = {
            unit: frozenset(m.id for m in catalog.metrics.values() if unit in m.units)
            for unit in {u for m in catalog.metrics.values() for u in m.units}}
        used = {b for m in catalog.metrics.values() for b in m.breakdowns}
        if unused := set(catalog.breakdown_cues) - used:
            raise CatalogError(f"catalog {catalog.path}: breakdown_cues for labels no metric lists: {sorted(unused)}")
        self._labels = {fold(phrase).strip(): label
                        for label, plist in catalog.breakdown_cues.items() for phrase in plist}
        self._bmatcher = PhraseMatcher(self._labels)

    def topics(self, folded_text: str) -> dict[str, int]:
        """metric id -> where the article first names the topic its `topic` cues require."""
        first: dict[str, int] = {}
        if self._topic_matcher:
            for m in self._topic_matcher.finditer(folded_text):
                for metric_id in self._topics[m.group()]:
                    first.setdefault(metric_id, m.start())
        return first

    def index_mentions(self, folded_text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, rank metric ids) where a text names a ranking index; a name and its
        abbreviation in brackets ("chỉ số năng lực cạnh tranh cấp tỉnh (PCI)") are one mention."""
        out: list[tuple[int, int, list[str]]] = []
        for m in self._index_matcher.finditer(folded_text):
            ids = self._index_names[m.group()]
            if out and out[-1][2] == ids and _ABBREVIATION_GAP.fullmatch(folded_text, out[-1][1], m.start()):
                out[-1] = (out[-1][0], m.end(), ids)
                continue
            out.append((m.start(), m.end(), ids))
        return out

    def listed_indices(self, folded: str, cues: "SentenceCues") -> list[tuple[int, int]]:
        """Spans of a sentence where several ranking indices are named as a list ("PAPI, PCI
        và PAR INDEX"): a rank near such a list may be any of them (computed once per sentence)."""
        if cues.listed is None:
            mentions, cues.listed = self.index_mentions(folded), []
            run = mentions[:1]
            for mention in mentions[1:] + [None]:
                if mention and _LIST_GAP.fullmatch(folded, run[-1][1], mention[0]):
                    run.append(mention)
                    continue
                if len({tuple(ids) for _, _, ids in run}) >= 2:
                    cues.listed.append((run[0][0], run[-1][1]))
                run = [mention]
        return cues.listed

    def scan(self, folded: str) -> SentenceCues:
        cues = SentenceCues()
        context, hits = cues.context, cues.hits
        for m in self._matcher.finditer(folded):
            phrase_context, excluded, phrase_hits = self._roles[m.group()]
            for metric_id, length in phrase_context:
                context[metric_id] = max(length, context.get(metric_id, 0))
            for metric_id in excluded:
                cues.excluded.setdefault(metric_id, []).append(m.start())
            at = m.start()
            for s, e, metric_id, role in phrase_hits:  # a loop, not a comprehension: most phrases have one
                hits.append(CueHit(at + s, at + e, metric_id, role))
        cues.hits.sort(key=_START)
        cues.negations = "chưa" in folded or "không" in folded or "đề " in folded or "kiến nghị" in folded
        cues.passives = "được" in folded or "bị" in folded
        cues.starts = [h.start for h in cues.hits]
        return cues

    def best_metric(self, folded: str, number: Number, cues: SentenceCues, figure_starts: list[int],
                    carried: list[CueHit] = (), topics: dict[str, int] | None = None) -> Choice | None:
        """The metric whose cues claim `number` best, or None if none claims it.

        score = sum of role weights satisfied (after/lead 3, near/before 2, context 1),
        plus 0.001 per character of the phrases matched, minus 0.005 per character to the
        nearest name cue (plus CROSS_PENALTY for each other figure in between); ties go to
        the metric listed first in the catalog."""
        found: dict[str, dict[str, tuple[float, int]]] = {}
        # Only hits within reach of the figure can apply: a bounded slice, so a long
        # sentence with many figures stays linear.
        lo = bisect_left(cues.starts, number.start - MAX_DISTANCE - 64)
        hi = bisect_right(cues.starts, number.end + MAX_FORWARD)
        vetoed = set()
        cues.figure_starts = figure_starts
        in_unit = self._metrics_by_unit.get(number.unit, ())
        window = cues.hits[lo:hi]
        verbs = [h for h in window if h.role == "before" and h.end <= number.start]  # the figure's verbs before it
        chained = _chained_verbs(folded, verbs, number) if len(verbs) > 1 else ()
        if verbs and cues.negations:
            vetoed |= _negated(folded, verbs)
        # "850 kiến nghị được xử lý": a figure with a passive verb of its own is that verb's
        own_passive = cues.passives and _OWN_PASSIVE_RE.match(folded, number.end)
        own_verb = verbs and own_passive
        # The noun right after the figure, which an `after` cue stated before it needs (_role_distance)
        head_match = _HEAD_AFTER.match(folded, number.end)
        head = head_match.group("head") if head_match else None
        # A phrase is often a cue of several metrics: its distance is read once per span and role.
        distances: dict[tuple[int, int, str], float | None] = {}
        for h in window:
            if h in chained or (own_verb and h.role == "before" and h.end <= number.start):
                continue
            if h.metric_id not in in_unit:
                continue  # the metric cannot take this figure whatever the distance
            if h.role == "near" and number.unit == "rank" and _within(h, self.listed_indices(folded, cues)):
                continue  # "… về PAPI, PCI, PAR INDEX … Hà Nội (xếp thứ 3)": which index is not said
            if h.role == "not_lead":
                if h.end <= number.start and _LEAD_GAP.match(folded[h.end:number.start]):
                    vetoed.add(h.metric_id)
                continue
            span = (h.start, h.end, h.role)
            dist = distances[span] if span in distances else distances.setdefault(
                span, _role_distance(folded, number, h, figure_starts, head, cues))
            if own_passive and h.role == "near" and dist is not None and _qualifies_own_verb(folded, window, h, number):
                # "178.102 hồ sơ được giải quyết trước và đúng hạn": the name is an adverb of
                # the figure's own predicate, a reading more specific than the bare verb's
                dist = 0.0
            if dist is None or (h.role == "after" and h.start < number.end and head not in self._heads[h.metric_id]
                                and not self._repeats_counted_noun(folded, h, head_match)):
                continue
            roles = found.setdefault(h.metric_id, {})
            if dist < roles.get(h.role, _UNSEEN)[0]:
                roles[h.role] = (dist, h.end - h.start)
        # The metric named by the sentence before ("Chỉ số PCI 2022 vừa công bố. Tỉnh đứng
        # thứ 20"): its name cues count as met, at the far end of their reach; not in a
        # sentence that names a ranking of its own the catalog does not have.
        if carried and next(self._other_rankings.finditer(folded), None):
            carried = ()
        for h in carried:
            if h.metric_id in in_unit and h.role in ("near", "before"):
                found.setdefault(h.metric_id, {}).setdefault(h.role, (float(CARRY_DISTANCE), h.end - h.start))
        # "Về xếp hạng Chính phủ điện tử (…), …; phấn đấu … xếp hạng thứ 80": the index a
        # sentence opens with ("Về …,") is the subject of its ranks in every clause.
        if number.unit in ("rank", "places"):
            for h in self._heading_names(folded, cues):
                if h.end <= number.start:
                    found.setdefault(h.metric_id, {}).setdefault(h.role, (float(CARRY_DISTANCE), h.end - h.start))
        best = None
        for metric_id in (topics or ()):
            if metric_id in found:
                found[metric_id]["topic"] = (0.0, 0)
        # Every metric needs a positional cue (no metric is claimed by its context alone):
        # context counts for those found, the sentence's context metrics first as ties go
        # to the first metric seen.
        context = cues.context
        order = [m for m in context if m in found] + [m for m in found if m not in context]
        for metric_id in order:
            roles = found[metric_id]
            if metric_id in context:
                roles["context"] = (0.0, context[metric_id])
            metric = self.catalog.metrics[metric_id]
            if metric_id in vetoed or number.unit not in metric.units or roles.keys() != self.required[metric_id] \
                    or (metric_id in cues.excluded and _in_clause(folded, cues.excluded[metric_id], number)):
                continue
            # a longer matching phrase is the more specific reading ("hồ sơ trực tuyến" > "hồ sơ")
            name_dist, score = None, 0.0
            for r, (d, length) in roles.items():
                score += _WEIGHT[r] + 0.001 * length
                if r in _NAME_ROLES and (name_dist is None or d < name_dist):
                    name_dist = d
            name_dist = name_dist or 0
            if "lead" in roles and name_dist > LEAD_NAME_REACH:
                continue  # "thu ngân sách … ; … khách du lịch tăng 10%": the verb's subject is elsewhere
            score -= 0.005 * name_dist
            lo, hi = metric.range_for(number.unit)
            if (lo is not None and number.value < lo) or (hi is not None and number.value > hi):
                # Out of the metric's range: the reading of last resort, kept so that
                # validation quarantines the figure ("đúng hạn đạt 120%") instead of
                # the extractor dropping it unseen.
                score -= OUT_OF_RANGE_PENALTY
            if best is None or score > best.score:
                best = Choice(metric, score, int(name_dist))
        return best

    def _repeats_counted_noun(self, folded: str, hit: CueHit, head: re.Match | None) -> bool:
        """Whether the figure's noun (`head`, the words after it) is the first word of `hit`,
        an `after` cue that counted an earlier figure of the sentence: "giảm 15 phòng chuyên
        môn thuộc sở và 12 phòng thuộc UBND cấp huyện" repeats the noun only. Not when a cue
        phrase starts there ("83 nghị định, 8 nghị quyết": a noun of its own)."""
        if head is None or not folded.startswith(head.group("head").split(" ", 1)[0] + " ", hit.start):
            return False
        return (folded[max(0, hit.start - 4):hit.start].rstrip()[-1:].isdigit()
                and self._matcher.match(folded, head.start("head")) is None)

    def _heading_names(self, folded: str, cues: SentenceCues) -> list[CueHit]:
        """The names of ranking indices in the heading of a sentence that opens with "Về …,"."""
        if cues.heading_names is None:
            heading = _HEADING_RE.match(folded)
            end = folded.find(",", heading.end()) if heading else -1
            cues.heading_names = [h for h in cues.hits if h.end <= end and h.role == "near" and h.metric_id in self._ranked]
        return cues.heading_names

    def breakdown(self, folded: str, metric: Metric, number: Number, cues: SentenceCues,
                  figure_starts: list[int], figure_ends: list[int]) -> str | None:
        """The part of a whole the figure is about: a breakdown phrase after it up to the
        next comma, figure or bracket, else the nearest before it back to the previous
        figure, ';' or '('. A figure followed by a bracket that itemises parts is the
        whole (`tong`)."""
        if not metric.breakdowns:
            return None
        if cues.breakdowns is None:
            cues.breakdowns = [(m.start(), m.end(), self._labels[m.group()]) for m in self._bmatcher.finditer(folded)]
            cues.breakdown_starts = [b[0] for b in cues.breakdowns]
        vocab = set(metric.breakdowns)
        i = bisect_right(figure_starts, number.start)
        right_end = min([number.end + BREAKDOWN_REACH, len(folded)]
                        + figure_starts[i:i + 1]
                        + [j for j in (folded.find(c, number.end, number.end + BREAKDOWN_REACH) for c in ",;()") if j >= 0])
        bhits, first = cues.breakdowns, bisect_left(cues.breakdown_starts, number.end)
        for s, e, label in bhits[first:bisect_left(cues.breakdown_starts, right_end)]:
            if e <= right_end and label in vocab:
                # "mức độ 3, 4" names two levels together: no one part (pattern 13)
                return None if _MORE_LEVELS_AFTER.match(folded, e) else label
        if "tong" in vocab and folded[right_end:right_end + 1] == "(":
            close = folded.find(")", right_end, right_end + BREAKDOWN_REACH)
            close = close if close >= 0 else right_end + BREAKDOWN_REACH
            if bisect_left(figure_starts, close) - bisect_right(figure_starts, right_end) >= 2:
                return "tong"
        k = bisect_right(figure_ends, number.start)
        # a bracket that opens right at the figure ("… của các địa phương giảm (635 đơn vị)")
        # encloses the figure, not an aside before it
        own_bracket = len(folded[:number.start].rstrip()) - 1
        left_start = max([0, number.start - BREAKDOWN_REACH] + figure_ends[max(0, k - 1):k]
                         + [j + 1 for j in (folded.rfind(c, max(0, number.start - BREAKDOWN_REACH), number.start)
                                            for c in ";(") if j >= 0 and j != own_bracket])
        for s, e, label in reversed(bhits[bisect_left(cues.breakdown_starts, left_start):
                                         bisect_left(cues.breakdown_starts, number.start)]):
            if e <= number.start and label in vocab:
                return None if _MORE_LEVELS_AFTER.match(folded, e) else label
        return None


def _in_clause(folded: str, positions: list[int], number: Number) -> bool:
    """Whether any of `positions` (of a metric's exclude phrases) is in the figure's own
    clause (between semicolons): an exclude phrase vetoes its metric there only. "kiểm tra
    công tác CCHC tại 24 cơ quan; xử lý kỷ luật 7 công chức vi phạm" disciplines violators
    in its second clause; the inspections of the first stand."""
    lo = folded.rfind(";", 0, number.start) + 1
    hi = folded.find(";", number.end)
    hi = len(folded) if hi < 0 else hi
    return any(lo <= at < hi for at in positions)


def _negated(folded: str, verbs: list[CueHit]) -> set[str]:
    """Metrics whose verb nearest before the figure is negated or proposed: "chưa hoàn thành
    501 nhiệm vụ (122 … còn trong hạn)" and "đề xuất bãi bỏ 95 …" are not what was done,
    whatever an earlier verb says."""
    nearest = {h.metric_id: h for h in verbs}
    return {metric_id for metric_id, h in nearest.items()
            if _NEGATED_BEFORE.search(folded, max(0, h.start - 16), h.start)}


def _qualifies_own_verb(folded: str, window: list[CueHit], name: CueHit, number: Number) -> bool:
    """Whether the name cue `name` directly follows a verb after the figure (its own passive
    verb), as that verb's adverb: "… hồ sơ được giải quyết đúng hạn"."""
    return any(h.role == "before" and number.end <= h.start and h.end < name.start
               and not folded[h.end:name.start].strip() for h in window)


def _chained_verbs(folded: str, verbs: list[CueHit], number: Number) -> set[CueHit]:
    """The `before` hits (`verbs`) of a series of verbs right before a figure, except the
    first: in "tiếp nhận, giải quyết và trả kết quả 4.572 hồ sơ" the count is what was
    received (the first step), which the later steps then handled."""
    spans = sorted({(h.start, h.end) for h in verbs}, reverse=True)
    if len(spans) < 2 or not _CHAIN_TAIL.fullmatch(folded, spans[0][1], number.start):
        return set()
    chain = [spans[0]]
    for start, end in spans[1:]:
        if end <= chain[-1][0] and _CHAIN_GAP.fullmatch(folded, end, chain[-1][0]):
            chain.append((start, end))
        elif end <= chain[-1][0]:
            break
    if len(chain) < 2:
        return set()
    later = set(chain[:-1])
    return {h for h in verbs if (h.start, h.end) in later}


def _coordinated(folded: str, starts: list[int], name_end: int, cues: SentenceCues) -> bool:
    """Whether the figures at `starts`, after a name ending at `name_end`, are a series of
    predicates of that name: each opened by a result verb, with no bracket or clause border."""
    if cues.predicate_led is None:  # once per sentence: which figures a result verb opens
        cues.predicate_led = {f for f in cues.figure_starts if _PREDICATE_BEFORE.search(folded, max(0, f - 30), f)}
    if not all(f in cues.predicate_led for f in starts):
        return False
    return "(" not in folded[name_end:starts[-1]] and ";" not in folded[name_end:starts[-1]]


def _role_distance(folded: str, number: Number, hit: CueHit, figure_starts: list[int],
                   head: str | None, cues: SentenceCues) -> float | None:
    """How far a cue is from the figure for its role, or None if it does not apply. The
    same for every metric the phrase is a cue of, except that an `after` cue stated before
    the figure also needs `head` (the noun after the figure) to be a head noun of the
    metric's own (best_metric checks that)."""
    role = hit.role
    if role == "after":
        if hit.start >= number.end:
            return 0.0 if _AFTER_GAP.match(folded[number.end:hit.start]) else None
        return _head_noun_distance(number, hit, figure_starts, head)
    if role == "lead":
        return 0.0 if hit.end <= number.start and _LEAD_GAP.match(folded[hit.end:number.start]) else None
    if hit.end <= number.start:
        gap = (hit.end, number.start)
    elif role == "near" and hit.start >= number.end:
        gap = (number.end, hit.start)
    elif role == "before" and hit.start >= number.end and _PASSIVE_GAP.match(folded, number.end, hit.start):
        gap = (number.end, hit.start)  # passive: "4.500 thủ tục đã được bãi bỏ"
    else:
        return None
    dist = gap[1] - gap[0]
    if dist > (MAX_FORWARD if hit.start >= number.end else MAX_DISTANCE):
        return None
    if ";" in folded[gap[0]:gap[1]] and not _same_subject_across(folded, gap, number):
        return None  # a name in another clause: "thu ngân sách đạt …; khách du lịch tăng 10,7%"
    first, last = bisect_left(figure_starts, gap[0]), bisect_left(figure_starts, gap[1])
    crossed = last - first
    if crossed and hit.end <= number.start and _coordinated(folded, figure_starts[first:last] + [number.start], gap[0], cues):
        crossed = 0  # "Tổng thu ngân sách … là 508.553 tỷ đồng, đạt 105,3% dự toán, tăng 13,3%": one subject
    if hit.start >= number.end and (crossed or ";" in folded[gap[0]:gap[1]]):
        return None  # a name after the figure belongs to it only up to the next figure or clause
    if hit.start >= number.end and "," in folded[gap[0]:gap[1]] and _opens_next_clause(folded, hit, figure_starts, number):
        return None  # "… đứng thứ 3 toàn quốc, chỉ số PCI đứng thứ bảy": the name is the next figure's subject
    return float(dist + CROSS_PENALTY * crossed)


def _same_subject_across(folded: str, gap: tuple[int, int], number: Number) -> bool:
    """Whether a name before the figure stays its subject across the ';' in between: the
    figure is an item of a list the name's clause opens ("trong đó: … ; …"), or the figure's
    clause, the one clause after, elides that subject ("…; của địa phương đạt 54%") or sets a
    goal for it ("…; tỉnh phấn đấu đến cuối năm 2024 đạt trên 50%")."""
    first, last = folded.find(";", *gap), folded.rfind(";", *gap)
    if _LIST_LEAD_IN.search(folded, gap[0], first):
        return True
    return first == last and bool(_ELIDED_SUBJECT.match(folded, last + 1) or (
        _GOAL_CLAUSE.match(folded, last + 1) and _BARE_RESULT_BEFORE.search(folded, max(last, gap[1] - 20), gap[1])
        and _CLAUSE_END.match(folded, number.end)))


def _within(hit: CueHit, spans: list[tuple[int, int]]) -> bool:
    return any(start <= hit.start < end for start, end in spans)


def _opens_next_clause(folded: str, hit: CueHit, figure_starts: list[int], number: Number) -> bool:
    """Whether the name `hit` is followed, within its clause, by a figure of its own of the
    same kind as `number` (a rank, a percentage): "đứng thứ 20, chỉ số PCI đạt 60 điểm"
    leaves the name to the rank."""
    i = bisect_left(figure_starts, hit.end)
    if i == len(figure_starts) or any(c in folded[hit.end:figure_starts[i]] for c in ",;"):
        return False
    if number.unit in ("rank", "places"):
        return bool(_RANK_LEAD.search(folded, hit.end, figure_starts[i]))
    if number.unit == "percent":
        return bool(_PERCENT_AT.match(folded, figure_starts[i]))
    return True


@lru_cache(maxsize=1)
def cue_index() -> CueIndex:
    """The index of the packaged catalog, built once per process."""
    return CueIndex(load_catalog())


def _head_noun_distance(number: Number, hit: CueHit, figure_starts: list[int], head: str | None) -> float | None:
    """An `after` cue stated before the figure, when the figure is followed by the head noun
    of one of the metric's long names: "đơn vị sự nghiệp công lập ... giảm 534 đơn vị", and
    the same after its abbreviation: "54.448 ĐVSNCL, đến năm 2016 giảm 534 đơn vị"."""
    if head is None or hit.end > number.start or number.start - hit.end > MAX_DISTANCE:
        return None
    crossed = bisect_left(figure_starts, number.start) - bisect_left(figure_starts, hit.end)
    return float(number.start - hit.end + CROSS_PENALTY * crossed)
