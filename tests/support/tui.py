"""Driving Reflect's conversation screen with Pilot: answer, and wait for the reply."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot

from assistant.ui.conversation_screen import ConversationScreen
from assistant.ui.widgets.chat_log import ChatLog
from assistant.ui.widgets.message_input import MessageInput

#: Generous: guidance search and the scripted server are quick, but CI machines are busy.
SETTLE_TIMEOUT = 60.0


async def settle(pilot: Pilot, screen: ConversationScreen | None = None) -> None:
    """Wait until the conversation screen has no reply in flight."""
    screen = screen or pilot.app.screen  # type: ignore[assignment]
    assert isinstance(screen, ConversationScreen)
    deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT
    await pilot.pause()
    while screen.busy:
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the conversation screen is still busy")
        await pilot.pause(0.05)
    await pilot.pause()


async def answer(pilot: Pilot, text: str) -> None:
    """Type ``text`` into the answer box (ctrl+j between lines), send it, wait for the reply."""
    screen = pilot.app.screen
    box = screen.query_one("#message", MessageInput)
    box.focus()
    for number, line in enumerate(text.split("\n")):
        if number:
            await pilot.press("ctrl+j")
        box.insert(line)
    await pilot.press("enter")
    await settle(pilot, screen)  # type: ignore[arg-type]


async def wait_for(
    pilot: Pilot, condition: Callable[[], bool], what: str, timeout: float = SETTLE_TIMEOUT
) -> None:
    """Pause until ``condition()`` is true."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def run_to_artifact(pilot: Pilot, answers: list[str]) -> None:
    """Answer until the artifact screen opens; finish with ctrl+f if the answers run out."""
    from assistant.ui.artifact_screen import ArtifactScreen

    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    for reply in answers:
        if isinstance(pilot.app.screen, ArtifactScreen):
            break
        await answer(pilot, reply)
    if not isinstance(pilot.app.screen, ArtifactScreen):
        await pilot.press("ctrl+f")
        await settle(pilot, screen)
    assert isinstance(pilot.app.screen, ArtifactScreen)


async def answer_into_error(pilot: Pilot, text: str) -> None:
    """Send ``text`` and wait for the modal that says the model did not answer."""
    from assistant.ui.widgets.error_dialog import ErrorDialog

    await answer(pilot, text)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ErrorDialog), "the error dialog")


async def steady(pilot: Pilot) -> None:
    """Before a snapshot: no animation running, layout and scrolling settled, cursors still.

    A frame taken while a scroll is still being applied can draw the scrollbar thumb one
    cell off; waiting for scheduled animations and two refreshes makes it repeatable.
    """
    for box in pilot.app.screen.query(MessageInput):
        box.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for chat in pilot.app.screen.query(ChatLog):
        if chat.is_vertical_scroll_end or chat.max_scroll_y - chat.scroll_y <= 2:
            chat.scroll_end(animate=False, immediate=True)
        # Its thumb can still be drawn from the height the chat had a frame earlier.
        chat.vertical_scrollbar.refresh()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()
