"""A model's rubric scores, validated before use.

The model scores the role-play as JSON. Every criterion must be there with a score from 1 to
4; a quote that is not the mentor's own words is replaced by the rule-based evidence for that
criterion, so the debrief never puts words in the mentor's mouth.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError

from assistant.conversation.core.artifacts import parse_json_object
from assistant.conversation.guide.rubric import CRITERIA, CriterionScore


class CriterionDraft(BaseModel):
    criterion: str
    score: int = Field(ge=1, le=4)
    quote: str = ""
    note: str = ""
    rewrite: str = ""


class RubricDraft(BaseModel):
    criteria: list[CriterionDraft] = Field(min_length=len(CRITERIA))


def rubric_schema() -> dict[str, object]:
    return RubricDraft.model_json_schema()


def parse_rubric_draft(
    text: str, mentor_words: str, rule_scores: list[CriterionScore]
) -> list[CriterionScore] | None:
    """The model's scores in rubric order, or None when the draft is not usable."""
    data = parse_json_object(text)
    if data is None:
        return None
    try:
        draft = RubricDraft.model_validate(data)
    except ValidationError:
        return None
    by_criterion = {item.criterion.strip().lower(): item for item in draft.criteria}
    if not set(CRITERIA) <= set(by_criterion):
        return None
    rules = {score.criterion: score for score in rule_scores}
    said = _normalised(mentor_words)
    scores = []
    for criterion in CRITERIA:
        item = by_criterion[criterion]
        quote = item.quote.strip().strip('“”"')
        if quote and _normalised(quote) not in said:
            quote = rules[criterion].quote
        rewrite = "" if item.score == 4 else (item.rewrite.strip() or rules[criterion].rewrite)
        note = item.note.strip() or rules[criterion].note
        scores.append(CriterionScore(criterion, item.score, quote, note, rewrite))
    return scores


def _normalised(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())
