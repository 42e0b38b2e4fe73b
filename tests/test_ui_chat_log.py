"""A long conversation keeps only its newest messages on screen; older ones come back, as they
were, when the user scrolls up to them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from assistant.journal import Source
from assistant.ui.widgets.chat import AssistantMessage, NoticeLine, UserMessage
from assistant.ui.widgets.chat_log import ChatLog, EarlierMessages
from tests.support.tui import wait_for

KEEP, BATCH = 10, 6
SOURCES = [Source("receiving-feedback.md", "Receiving feedback")]


class LogApp(App[None]):
    """The chat column alone, styled as in the conversation screen."""

    CSS_PATH = "../assistant/ui/conversation.tcss"

    def compose(self) -> ComposeResult:
        yield ChatLog(keep=KEEP, batch=BATCH, id="chat")

    def on_mount(self) -> None:
        self.query_one(ChatLog).anchor()


async def add_exchange(log: ChatLog, number: int) -> None:
    await log.add(UserMessage(f"question {number} [bold]as typed[/bold]"))
    reply = AssistantMessage()
    await log.add(reply)
    await reply.append(f"Answer **{number}**.")
    await reply.complete(f"Answer **{number}**.", SOURCES, interrupted=number == 0)


def texts(log: ChatLog) -> list[str]:
    """What each message on screen shows, oldest first."""
    shown = []
    for message in log.messages():
        if isinstance(message, AssistantMessage):
            shown.append(message.source)
        else:
            shown.append(str(message.render()))
    return shown


async def fill(pilot: Pilot, exchanges: int) -> ChatLog:
    log = pilot.app.query_one(ChatLog)
    for number in range(exchanges):
        await add_exchange(log, number)
        await pilot.pause()
    await log.add(NoticeLine("Agenda ready"))
    await pilot.pause()
    return log


async def test_only_the_newest_messages_stay_on_screen_and_the_rest_are_counted() -> None:
    app = LogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        log = await fill(pilot, 20)  # 41 messages
        assert len(log.messages()) == KEEP
        assert texts(log)[-1] == "Agenda ready"
        assert texts(log)[0] == "Answer **15**."
        assert log.earlier == 31
        marker = log.query_one(EarlierMessages)
        assert marker.display
        assert "31 earlier messages" in str(marker.render())
        assert log.scroll_y == log.max_scroll_y  # still following the newest


async def test_scrolling_to_the_top_brings_earlier_messages_back_as_they_were() -> None:
    app = LogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        log = await fill(pilot, 20)
        first_shown = log.messages()[0]
        log.scroll_home(animate=False, immediate=True)
        await wait_for(
            pilot, lambda: len(log.messages()) == KEEP + BATCH and log.scroll_y > 0, "a batch back"
        )
        assert texts(log)[: BATCH + 1] == [
            "Answer **12**.",
            "question 13 [bold]as typed[/bold]",
            "Answer **13**.",
            "question 14 [bold]as typed[/bold]",
            "Answer **14**.",
            "question 15 [bold]as typed[/bold]",
            "Answer **15**.",
        ]
        # The view did not jump: the message that was at the top is still in view.
        await pilot.pause()
        assert first_shown.region.overlaps(log.scrollable_content_region)

        # Scrolling up again brings back the rest, batch by batch, down to the first one,
        # with its sources and the note that it was stopped.
        while log.earlier:
            left = log.earlier
            log.scroll_home(animate=False, immediate=True)
            # The batch arrives above, and the view stays where it was (no longer at the top).
            await wait_for(
                pilot,
                lambda: log.earlier < left and log.scroll_y > 0,  # noqa: B023
                "another batch back",
            )
        assert len(log.messages()) == 41
        assert not log.query_one(EarlierMessages).display
        first_reply = log.messages()[1]
        assert isinstance(first_reply, AssistantMessage)
        assert first_reply.has_class("-interrupted")
        await wait_for(pilot, lambda: first_reply.region.height > 0, "the first reply drawn")
        footer = str(first_reply.query_one(".reply-footer").render())
        assert "[1] Receiving feedback" in footer
        assert "Stopped." in footer


async def test_nothing_leaves_the_screen_while_the_user_reads_further_up() -> None:
    app = LogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        log = await fill(pilot, 6)  # 13 messages: 3 off screen
        log.scroll_to(y=2, animate=False, immediate=True)  # reading, not at the top
        await pilot.pause()
        for number in range(6, 10):
            await add_exchange(log, number)
            await pilot.pause()
        assert len(log.messages()) == KEEP + 8
        assert log.earlier == 3


async def test_when_everything_fits_a_click_on_the_count_shows_earlier_messages() -> None:
    app = LogApp()
    async with app.run_test(size=(80, 120)) as pilot:
        log = await fill(pilot, 8)  # 17 messages: 7 off screen, 10 fit without scrolling
        assert log.max_scroll_y == 0
        await pilot.click(EarlierMessages)
        await wait_for(pilot, lambda: log.earlier == 1, "a batch back")
        await pilot.click(EarlierMessages)
        await wait_for(pilot, lambda: log.earlier == 0, "the last one back")
        assert texts(log)[0] == "question 0 [bold]as typed[/bold]"
