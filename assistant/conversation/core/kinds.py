"""The named kinds of the conversation: step kinds, modes, roles, notice levels, pending turns.

They are ``StrEnum`` members, so they compare equal to the strings stored in the journal and
in the flow files, and serialise to JSON as those strings.
"""

from __future__ import annotations

from enum import StrEnum


class StepKind(StrEnum):
    """What a step does with an answer (``kind`` in ``prompts/flows/*.toml``)."""

    TEXT = "text"  # free text, captured as one item
    LIST = "list"  # one item per line
    QUESTIONS = "questions"  # draft questions, checked one by one
    REVISE_QUESTIONS = "revise_questions"  # rewrites of the flagged questions
    REVIEW_ITEMS = "review_items"  # which open action items are done; skipped when none
    ACTIONS = "actions"  # action items with optional due dates
    CHOOSE_SCENARIO = "choose_scenario"  # pick a practice scenario
    ROLEPLAY = "roleplay"  # talk to the simulated mentee until /skip or the exchange limit
    REVISE_LINE = "revise_line"  # rewrite one line of feedback and have it re-scored


class Mode(StrEnum):
    """How the engine thinks: with a model endpoint, or as the rule-based guide."""

    MODEL = "model"
    GUIDE = "guide"


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class Level(StrEnum):
    """How loudly a :class:`~assistant.conversation.core.events.Notice` is shown."""

    INFO = "info"
    WARNING = "warning"


class Pending(StrEnum):
    """What the next assistant turn must do; ``NONE`` when the last one is complete."""

    NONE = ""
    ASK = "ask"  # ask the current step's question (acknowledging the last answer)
    FOLLOWUP = "followup"  # the answer was thin: ask the step's follow-up
    PERSONA = "persona"  # the simulated mentee answers the mentor
    DEBRIEF = "debrief"  # score the role-play and suggest rewrites
    RESCORE = "rescore"  # score the mentor's revised line
    ADVANCE = "advance"  # the answer is taken; move to the next step


class SectionFill(StrEnum):
    """Where an artifact section's items come from (``fill`` in a flow's sections)."""

    ANSWERS = ""  # the answers of the steps that capture into it
    OPEN_ITEMS = "open_items"  # the open action items carried from earlier sessions
    SAVED_QUESTIONS = "saved_questions"  # the questions saved earlier, not used yet
    FINAL_QUESTIONS = "final_questions"  # the revised questions, or the drafts' rewrites
    FRAMING_NOTES = "framing_notes"  # the checks on the draft questions
    DONE_ITEMS = "done_items"  # the carried items the user said are done
    ACTION_ITEMS = "action_items"  # the action items of the flow's actions steps, with dates
    SCENARIO = "scenario"  # the practice scenario
    SCORES = "scores"  # the rubric's scores of the role-play
    REWRITES = "rewrites"  # the rubric's suggested rewrites
    REVISION = "revision"  # the revised line and its scores
    GOAL = "goal"  # the goal as one line drawn from the answer, then its context
    TIME_PLAN = "time_plan"  # minutes per topic for the meeting's length
    FEEDBACK_HEARD = "feedback_heard"  # the feedback, one point per sentence
    AGREED = "agreed"  # what the person accepts of the feedback
    DOUBTED = "doubted"  # what they doubt or disagree with
    HOW_IT_LANDED = "how_it_landed"  # how it felt, and what else they said about it


class Shows(StrEnum):
    """The list from the journal a step shows with its question."""

    NOTHING = ""
    OPEN_ITEMS = "open_items"
    SAVED_QUESTIONS = "saved_questions"
