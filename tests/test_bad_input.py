"""What users paste: huge, empty, full of escapes or of every script. Nothing breaks or is lost."""

from __future__ import annotations

import pytest

from assistant import tokens
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import ArtifactReady, Notice, TurnComplete
from assistant.conversation.core.speaking import TRUNCATED_NOTICE
from assistant.conversation.model.client import ModelClient
from assistant.journal import Journal
from tests.support.conversation import FLOW_ANSWERS, collect, of_type, open_parts
from tests.support.openai_server import Reply, ScriptedOpenAI

UNICODE_ANSWER = "Le retour de Zoë 🎉 — שלום, مرحبا, e\u0301 and 日本語 [bold]kept[/bold]"


@pytest.fixture
def parts(knowledge_home):
    settings, journal, knowledge = open_parts()
    yield settings, journal, knowledge
    knowledge.close()
    journal.close()


def user_contents(journal: Journal, session_id: str) -> list[str]:
    return [turn.content for turn in journal.turns(session_id) if turn.role == "user"]


async def test_every_script_survives_to_the_journal_and_the_artifact(parts) -> None:
    settings, journal, knowledge = parts
    engine = Engine(settings, journal, knowledge)
    await collect(engine.start("debrief"))
    await collect(engine.send(UNICODE_ANSWER))
    for answer in FLOW_ANSWERS["debrief"][1:]:
        events = await collect(engine.send(answer))
    (artifact,) = of_type(events, ArtifactReady)
    assert user_contents(journal, engine.session.id)[0] == UNICODE_ANSWER
    assert UNICODE_ANSWER in artifact.markdown


async def test_escapes_and_controls_are_removed_before_saving(parts) -> None:
    settings, journal, knowledge = parts
    engine = Engine(settings, journal, knowledge)
    await collect(engine.start("ask"))
    await collect(engine.send("\x1b[2J\x1b[31mMy manager\x00 keeps\x07 moving\x1b[0m deadlines"))
    assert user_contents(journal, engine.session.id) == ["My manager keeps moving deadlines"]


@pytest.mark.parametrize("empty", ["", "   ", "\n\n", "\x1b[0m\x00"])
async def test_an_empty_turn_is_not_recorded_and_the_step_waits(parts, empty: str) -> None:
    settings, journal, knowledge = parts
    engine = Engine(settings, journal, knowledge)
    await collect(engine.start("prepare"))
    step = engine.step_index
    events = await collect(engine.send(empty))
    assert of_type(events, Notice)[0].text.startswith("Type an answer first.")
    assert user_contents(journal, engine.session.id) == []
    assert engine.step_index == step


async def test_a_200000_character_paste_is_saved_whole_but_never_sent_whole(
    model_env: ScriptedOpenAI, parts
) -> None:
    settings, journal, knowledge = parts
    assert settings.base_url == model_env.base_url
    model_env.default = Reply(text="Thanks. What is the one thing you want from this meeting?")
    paste = "".join(f"line {n}: the whole log of my week, pasted in. " for n in range(4400))
    assert len(paste) >= 200_000
    model = ModelClient(settings)
    try:
        engine = Engine(settings, journal, knowledge, model=model)
        await collect(engine.start("prepare"))
        events = await collect(engine.send(paste))
    finally:
        await model.aclose()
    assert TRUNCATED_NOTICE in [notice.text for notice in of_type(events, Notice)]
    assert user_contents(journal, engine.session.id) == [paste.strip()]
    request = model_env.chat_requests()[-1].body
    sent = "\n".join(message["content"] for message in request["messages"])
    assert paste not in sent
    assert "line 0: the whole log" in sent
    budget = settings.context_window - settings.reply_reserve
    assert tokens.count_message_tokens(request["messages"]) <= budget
    assert [e.role for e in of_type(events, TurnComplete)] == ["user", "assistant"]
