"""The catalog's cue phrases compiled into one regex, and the rule that picks a metric.

Each metric's `cues:` in metrics.yaml lists phrases by role:
  after    right after the figure ("400/991 nhiệm vụ"), at most two words between
  lead     right before the figure, only small words between ("tăng 15,7%")
  near     the metric's name anywhere in the sentence, nearer is better ("PCI ... xếp thứ 38")
  before   like near, but only before the figure ("cắt giảm ... 247 TTHC")
  context  anywhere in the sentence
  exclude  anywhere in the sentence: never this metric
Every role a metric lists must be satisfied (any phrase of the role will do); among the
metrics that qualify the highest score wins (see `best_metric`). Top-level
`breakdown_cues:` name the parts of a whole (`cap_huyen`: "cấp huyện", ...).

Phrases are matched case-insensitively on whole words of the folded text. All phrases
of the catalog form one alternation, so a sentence is scanned once whatever the size of
the catalog; a phrase that contains another (e.g. "hồ sơ trực tuyến" / "hồ sơ") carries
the shorter one's roles too.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.catalog import Catalog, CatalogError, Metric, load_catalog
from transforms.numbers import Number, fold

ROLES = ("after", "lead", "near", "before", "context", "exclude")
_WEIGHT = {"after": 3.0, "lead": 3.0, "near": 2.0, "before": 2.0, "context": 1.0}
MAX_DISTANCE = 200        # characters between a name cue and its figure
MAX_FORWARD = 50          # a name written after its figure follows it closely ("xếp thứ 5 về PCI")
CROSS_PENALTY = 100       # per other figure between a name cue and its figure
_AFTER_GAP = re.compile(r"^[ ]?(?:[^\W\d]+ ){0,2}$")
_LEAD_GAP = re.compile(r"^[\s:,]*(?:(?:đạt|là|được|có|thêm|hơn|trên|khoảng|gần|từ|với|tới|đến|lên|"
                       r"xuống|ước|ước đạt|đạt tỷ lệ|chiếm)\s+)*$")


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    metric_id: str
    role: str


@dataclass(frozen=True)
class Choice:
    metric: Metric
    score: float
    distance: int  # characters to the nearest name cue (0 for after/lead-only matches)


class CueIndex:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        roles_of: dict[str, list[tuple[str, str]]] = {}
        self.required: dict[str, frozenset[str]] = {}
        for metric in catalog.metrics.values():
            if unknown := set(metric.cues) - set(ROLES):
                raise CatalogError(f"catalog {catalog.path}: metric {metric.id}: unknown cue role(s) {sorted(unknown)}")
            for role, phrases in metric.cues.items():
                for phrase in phrases or ():
                    roles_of.setdefault(fold(phrase).strip(), []).append((metric.id, role))
            self.required[metric.id] = frozenset(r for r in metric.cues if r != "exclude")
        phrases = sorted(roles_of, key=len, reverse=True)
        # A phrase carries the roles of every shorter phrase it contains, at its offset.
        self._roles = []
        for p in phrases:
            roles = [(0, len(p), m, r) for m, r in roles_of[p]]
            for q in phrases:
                if len(q) < len(p):
                    for m in re.finditer(rf"(?<!\w){re.escape(q)}(?!\w)", p):
                        roles += [(m.start(), m.end(), mid, r) for mid, r in roles_of[q]]
            self._roles.append(roles)
        self._rx = re.compile(r"(?<!\w)(?:" + "|".join(f"({re.escape(p)})" for p in phrases) + r")(?!\w)") \
            if phrases else None
        labels = {}
        for label, plist in catalog.breakdown_cues.items():
            for phrase in plist:
                labels[fold(phrase).strip()] = label
        bphrases = sorted(labels, key=len, reverse=True)
        self._labels = [labels[p] for p in bphrases]
        self._brx = re.compile(r"(?<!\w)(?:" + "|".join(f"({re.escape(p)})" for p in bphrases) + r")(?!\w)") \
            if bphrases else None

    def hits(self, folded: str) -> list[CueHit]:
        if self._rx is None:
            return []
        out = []
        for m in self._rx.finditer(folded):
            for s, e, metric_id, role in self._roles[m.lastindex - 1]:
                out.append(CueHit(m.start() + s, m.start() + e, metric_id, role))
        return out

    def breakdown_hits(self, folded: str) -> list[tuple[int, int, str]]:
        if self._brx is None:
            return []
        return [(m.start(), m.end(), self._labels[m.lastindex - 1]) for m in self._brx.finditer(folded)]

    def best_metric(self, folded: str, number: Number, hits: list[CueHit], figure_starts: list[int]) -> Choice | None:
        """The metric whose cues claim `number` best, or None if none claims it.

        score = sum of role weights satisfied (after/lead 3, near/before 2, context 1),
        plus 0.001 per character of the phrases matched, minus 0.005 per character to the
        nearest name cue (plus CROSS_PENALTY for each other figure in between); ties go to
        the metric listed first in the catalog."""
        found: dict[str, dict[str, float]] = {}
        vetoed = set()
        for h in hits:
            if h.role == "exclude":
                vetoed.add(h.metric_id)
                continue
            dist = _role_distance(folded, number, h, figure_starts)
            if dist is None:
                continue
            roles = found.setdefault(h.metric_id, {})
            if dist < roles.get(h.role, (float("inf"), 0))[0]:
                roles[h.role] = (dist, h.end - h.start)
        best = None
        for metric_id, roles in found.items():
            metric = self.catalog.metrics[metric_id]
            if metric_id in vetoed or number.unit not in metric.units or set(roles) != self.required[metric_id]:
                continue
            lo, hi = metric.range_for(number.unit)
            if (lo is not None and number.value < lo) or (hi is not None and number.value > hi):
                continue
            name_dist = min((d for r, (d, _) in roles.items() if r in ("near", "before")), default=0)
            # a longer matching phrase is the more specific reading ("hồ sơ trực tuyến" > "hồ sơ")
            score = sum(_WEIGHT[r] + 0.001 * length for r, (_, length) in roles.items()) - 0.005 * name_dist
            if best is None or score > best.score:
                best = Choice(metric, score, int(name_dist))
        return best

    def breakdown(self, folded: str, metric: Metric, number: Number, bhits: list[tuple[int, int, str]],
                  figure_starts: list[int], figure_ends: list[int]) -> str | None:
        """The part of a whole the figure is about: a breakdown phrase after it up to the
        next comma, figure or bracket, else the nearest before it back to the previous
        figure, ';' or '('. A figure followed by a bracket that itemises parts is the
        whole (`tong`)."""
        if not metric.breakdowns:
            return None
        vocab = set(metric.breakdowns)
        right_end = min([len(folded)] + [i for i in figure_starts if i > number.start]
                        + [i for i in (folded.find(c, number.end) for c in ",;()") if i >= 0])
        for s, e, label in bhits:
            if number.end <= s and e <= right_end and label in vocab:
                return label
        if "tong" in vocab and folded[right_end:right_end + 1] == "(":
            close = folded.find(")", right_end)
            inside = sum(1 for i in figure_starts if right_end < i < (close if close >= 0 else len(folded)))
            if inside >= 2:
                return "tong"
        left_start = max([0] + [e for e in figure_ends if e <= number.start]
                         + [i + 1 for i in (folded.rfind(c, 0, number.start) for c in ";(") if i >= 0])
        for s, e, label in reversed(bhits):
            if left_start <= s and e <= number.start and label in vocab:
                return label
        return None


def _role_distance(folded: str, number: Number, hit: CueHit, figure_starts: list[int]) -> float | None:
    """How far a cue is from the figure for its role, or None if it does not apply."""
    role = hit.role
    if role == "context":
        return 0.0
    if role == "after":
        return 0.0 if hit.start >= number.end and _AFTER_GAP.match(folded[number.end:hit.start]) else None
    if role == "lead":
        return 0.0 if hit.end <= number.start and _LEAD_GAP.match(folded[hit.end:number.start]) else None
    if hit.end <= number.start:
        gap = (hit.end, number.start)
    elif role == "near" and hit.start >= number.end:
        gap = (number.end, hit.start)
    else:
        return None
    dist = gap[1] - gap[0]
    if dist > (MAX_FORWARD if hit.start >= number.end else MAX_DISTANCE):
        return None
    crossed = sum(1 for i in figure_starts if gap[0] <= i < gap[1])
    if hit.start >= number.end and (crossed or ";" in folded[gap[0]:gap[1]]):
        return None  # a name after the figure belongs to it only up to the next figure or clause
    return float(dist + CROSS_PENALTY * crossed)


@lru_cache(maxsize=1)
def cue_index() -> CueIndex:
    """The index of the packaged catalog, built once per process."""
    return CueIndex(load_catalog())
