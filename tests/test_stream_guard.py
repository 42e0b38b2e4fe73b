"""The stream guard stops what a weak model does when it derails, and keeps what is usable."""

from __future__ import annotations

from assistant.conversation.model.stream_guard import (
    Derail,
    StreamGuard,
    guard_for,
    settle_reply,
)

QUESTION = "What do you most want from this meeting?"
FALLBACK = "Scripted: what do you most want from this meeting?"


def stream(guard: StreamGuard, text: str, size: int = 3) -> str:
    """Feed ``text`` in small deltas, as a server streams it; what was shown."""
    shown = ""
    for start in range(0, len(text), size):
        shown += guard.feed(text[start : start + size])
        if guard.derail is not None:
            break
    return shown + guard.flush()


def test_a_good_reply_passes_untouched() -> None:
    guard = StreamGuard()
    reply = "You said “the lead role” [1]. What would make this meeting a win for you?"

    assert stream(guard, reply) == reply
    settled = settle_reply(guard, question=QUESTION, fallback=FALLBACK)
    assert (settled.text, settled.notice) == (reply, None)


def test_a_loop_is_stopped_at_its_second_round_and_the_first_is_kept() -> None:
    guard = StreamGuard()
    loop = "I want to prepare for my mentor meeting this week. " * 30

    shown = stream(guard, "That sounds useful. " + loop)

    assert guard.derail is Derail.REPETITION
    assert len(shown) < 200  # stopped early, not after thirty rounds
    settled = settle_reply(guard, question=QUESTION, fallback=FALLBACK)
    assert settled.text == (
        "That sounds useful. I want to prepare for my mentor meeting this week.\n\n" + QUESTION
    )
    assert settled.notice == (
        "The model's reply was stopped because it began repeating itself; "
        "it asked no question, so this step's question was added."
    )


def test_a_run_of_one_character_is_a_loop() -> None:
    guard = StreamGuard()
    stream(guard, "That is a great question" + "!" * 400)

    assert guard.derail is Derail.REPETITION
    assert settle_reply(guard, question=None, fallback=FALLBACK).text == "That is a great question!"


def test_a_template_token_is_never_shown_and_ends_the_turn() -> None:
    guard = StreamGuard()
    shown = stream(guard, "Good. What matters most to you?<end_of_turn>\n<start_of_turn>user\nMe")

    assert guard.derail is Derail.TEMPLATE
    assert "<" not in shown
    assert settle_reply(guard, question=QUESTION, fallback=FALLBACK).text == (
        "Good. What matters most to you?"
    )


def test_a_dropped_gemma_turn_header_and_a_speaker_label_end_the_turn() -> None:
    header = StreamGuard()
    stream(header, "I hear you. What is the goal?user\nI want a raise.")
    label = StreamGuard()
    stream(label, "I hear you. What is the goal?\nUser: I want a raise.")

    for guard in (header, label):
        assert guard.derail is Derail.TEMPLATE
        assert settle_reply(guard, question=QUESTION, fallback=FALLBACK).text == (
            "I hear you. What is the goal?"
        )


def test_copying_the_instructions_is_an_echo() -> None:
    system = (
        "You are Reflect, a coach who helps a mentee prepare for a meeting with their mentor. "
        "Ask one question at a time and quote the user's own words back to them."
    )
    guard = guard_for([{"role": "system", "content": system}], QUESTION)

    stream(guard, "Sure. " + system)

    assert guard.derail is Derail.ECHO
    settled = settle_reply(guard, question=QUESTION, fallback=FALLBACK)
    # Nothing usable before the echo: the scripted reply is said instead, and the notice says so.
    assert settled.text == FALLBACK
    assert settled.notice is not None and "copying its instructions" in settled.notice
    assert "scripted reply was used" in settled.notice


def test_the_steps_question_may_be_repeated_word_for_word() -> None:
    question = "Which one thing, if it went well in this meeting, would make the hour worth it?"
    instruction = f"Then ask the question for this step. Scripted wording: “{question}”"
    guard = guard_for([{"role": "system", "content": instruction}], question)

    stream(guard, f"Thanks for that. {question}")

    assert guard.derail is None


def test_a_run_on_reply_is_ended_at_its_last_sentence() -> None:
    guard = StreamGuard()
    stream(guard, "You named two goals. The first is a promotion and the second is")
    guard.ran_on()

    settled = settle_reply(guard, question=QUESTION, fallback=FALLBACK)

    assert settled.text == f"You named two goals.\n\n{QUESTION}"
    assert settled.notice == (
        "The model's reply was stopped because it ran on past its length limit; "
        "it asked no question, so this step's question was added."
    )


def test_a_persona_line_needs_no_question() -> None:
    guard = StreamGuard()
    stream(guard, "I know, I know. The deadline slipped again.")

    settled = settle_reply(guard, question=None, fallback=FALLBACK)

    assert settled == settle_reply(guard, question=None, fallback=FALLBACK)
    assert (settled.text, settled.notice) == ("I know, I know. The deadline slipped again.", None)


def test_a_long_varied_reply_is_not_taken_for_a_loop() -> None:
    guard = StreamGuard()
    words = " ".join(f"word{n}" for n in range(20_000))

    stream(guard, words, size=5)

    assert guard.derail is None
    assert guard.usable == words
