"""The conversation screen: one flow, step by step, with streamed replies and guidance beside.

The engine does the work; this screen iterates its event streams in a worker (one at a time)
and shows each event. Esc cancels that worker: the engine keeps the partial reply, marked
interrupted, and ctrl+r asks for it again.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from assistant.conversation.core.events import (
    ArtifactReady,
    CloseOffered,
    ErrorOccurred,
    Event,
    GuidanceFound,
    Notice,
    StepChanged,
    TextDelta,
    TurnComplete,
)
from assistant.conversation.core.flows import FlowError, load_flow
from assistant.conversation.core.grounding import sources_of
from assistant.conversation.core.kinds import Level
from assistant.journal import JournalWriteError
from assistant.ui.heap import collect_if_due, settle_heap
from assistant.ui.links import open_link
from assistant.ui.passage_ref import PassageRef
from assistant.ui.safe_text import inert
from assistant.ui.widgets.chat import (
    AssistantMessage,
    GuidancePanel,
    NoticeLine,
    UserMessage,
)
from assistant.ui.widgets.chat_log import ChatLog
from assistant.ui.widgets.close_offer import CloseOffer, Outcome
from assistant.ui.widgets.error_dialog import ErrorChoice, ErrorDialog
from assistant.ui.widgets.footer import Footer
from assistant.ui.widgets.header import AppHeader, ModeBadge
from assistant.ui.widgets.journal_confirm import ConfirmModal
from assistant.ui.widgets.link_picker import LinkPicker, Target, TargetKind
from assistant.ui.widgets.message_input import MessageInput
from assistant.ui.widgets.reply_markdown import ReplyMarkdown
from assistant.ui.widgets.reply_progress import ReplyProgress

if TYPE_CHECKING:
    from assistant.conversation.core.engine import Engine
    from assistant.conversation.model.client import ModelClient
    from assistant.journal import Source
    from assistant.session_lock import SessionLock
    from assistant.ui.app import ReflectApp

#: Below this terminal width the guidance panel starts hidden (ctrl+g shows it).
GUIDANCE_MIN_WIDTH = 90
LEAVE_QUESTION = (
    "Leave this conversation? Nothing is lost: every answer is saved in your journal, "
    "and the home screen offers to pick it up where you left off (r)."
)
STOPPED_BEFORE_REPLY = "Stopped before the reply began. ctrl+r asks again."


class ConversationScreen(Screen):
    """A new conversation (``flow_id``) or a saved one picked up again (``session_id``)."""

    CSS_PATH = "conversation.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop reply"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+g", "toggle_guidance", "Guidance"),
        Binding("g", "toggle_guidance", "Guidance", show=False),
        Binding("ctrl+r", "retry", "Retry"),
        Binding("ctrl+f", "finish", "Finish"),
        Binding("ctrl+o", "open_artifact", "Artifact"),
        Binding("ctrl+b", "copy_answer", "Copy answer"),
        # Not in the footer, which is full at 80 columns; the help screen lists it.
        Binding("ctrl+l", "reply_links", "Links", show=False),
    ]

    def __init__(self, flow_id: str | None = None, session_id: str | None = None) -> None:
        if (flow_id is None) == (session_id is None):
            raise ValueError("give exactly one of flow_id and session_id")
        super().__init__()
        self._flow_id = flow_id
        self._session_id = session_id
        self._engine: Engine | None = None
        self._model: ModelClient | None = None
        self._reply: AssistantMessage | None = None
        self._worker: Worker[None] | None = None
        self._artifact_session: str | None = None
        self._can_retry = False
        self._heap_settled = False
        self._sources: list[Source] = []  # of the reply being written
        self._lock: SessionLock | None = None  # held while the session is open here
        self._guidance_chosen = False  # shown or hidden by hand since the last narrowing
        self._sending: str | None = None  # an answer sent, not yet saved
        self._unsaved_answer: str | None = None  # an answer the journal refused

    @property
    def flow_id(self) -> str | None:
        """The flow being run; known from the start for a new conversation."""
        if self._engine is not None and self._engine.session is not None:
            return self._engine.session.flow
        return self._flow_id

    @property
    def reflect(self) -> ReflectApp:
        return self.app  # type: ignore[return-value]

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader(self._title())
        with Horizontal(id="status-bar"):
            yield Static("Starting…", id="step", markup=False)
            yield ReplyProgress(show_clock=self.reflect.show_clock)
        with Horizontal(id="conversation-body"):
            with Vertical(id="chat-column"):
                yield ChatLog(id="chat")
                yield MessageInput(
                    placeholder="Your answer · enter sends · ^j new line", id="message"
                )
            yield GuidancePanel(id="guidance")
        yield Footer()

    def _title(self) -> str:
        flow_id = self._flow_id
        if flow_id is None:
            session = self.reflect.journal.get_session(self._session_id or "")
            flow_id = session.flow if session else None
        try:
            return load_flow(flow_id).title if flow_id else "Conversation"
        except FlowError:
            return "Conversation"

    def on_mount(self) -> None:
        self.query_one("#chat", ChatLog).anchor()
        self._fit_guidance(self.app.size.width)
        self.query_one("#message", MessageInput).focus()
        self._worker = self._open()

    @work(group="reply", exclusive=True, exit_on_error=False)
    async def _open(self) -> None:
        """Make the engine (knowledge base and model client load off the UI thread), start."""
        self._set_thinking(True)
        if self._session_id is not None and not self._lock_session(self._session_id):
            return
        self._engine = await self._make_engine()
        if self._flow_id is not None:
            events = self._engine.start(self._flow_id)
        else:
            assert self._session_id is not None
            events = self._engine.resume(self._session_id)
        await self._drive(events)
        if self._lock is None and self._engine.session is not None:
            self._lock_session(self._engine.session.id)

    def _lock_session(self, session_id: str) -> bool:
        """Hold the session for this window; if another window has it, say so and leave."""
        from assistant.session_lock import SessionBusy, SessionLock

        try:
            self._lock = SessionLock.take(self.reflect.settings.home, session_id)
        except SessionBusy as exc:
            self._set_thinking(False)
            self.app.pop_screen()
            self.app.notify(str(exc), severity="error", markup=False, timeout=10)
            return False
        return True

    async def _make_engine(self) -> Engine:
        from assistant.conversation.core.engine import Engine

        settings = self.reflect.settings
        try:
            knowledge = await self.reflect.knowledge_base()
        except Exception as exc:  # any failure here only costs the guidance
            knowledge = None
            self.notify(
                f"Guidance is not available this time: {exc}", severity="warning", markup=False
            )
        if settings.model_mode:
            await asyncio.to_thread(importlib.import_module, "openai")
            from assistant.conversation.model.client import ModelClient

            self._model = ModelClient(settings)
        return Engine(
            settings, self.reflect.journal, knowledge, model=self._model, today=self.reflect.today
        )

    async def on_unmount(self) -> None:
        if self._lock is not None:
            self._lock.release()
        if self._model is not None:
            await self._model.aclose()

    # --- driving the engine -------------------------------------------------------------------

    def _run(self, events: AsyncIterator[Event]) -> None:
        self._worker = self.run_worker(
            self._drive(events), group="reply", exclusive=True, exit_on_error=False
        )

    async def _drive(self, events: AsyncIterator[Event]) -> None:
        """Show every event of one engine stream; on cancel, keep what arrived."""
        assert self._engine is not None
        self._can_retry = False
        self._set_thinking(True)
        try:
            async for event in events:
                await self._show(event)
                # Deltas that arrived together come out of the stream without a pause; let
                # frames and keys in between them.
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            if self._reply is not None:
                await self._reply.complete(self._reply_text(), self._sources, interrupted=True)
                self._reply = None
            elif self._engine.state.pending:
                # Stopped before the first word: nothing to keep, but the turn is still owed.
                await self.query_one("#chat", ChatLog).add(NoticeLine(STOPPED_BEFORE_REPLY))
            self._can_retry = bool(self._engine.state.pending)
            raise
        finally:
            self._set_thinking(False)

    def _reply_text(self) -> str:
        assert self._reply is not None
        return self._reply.source

    async def _show(self, event: Event) -> None:
        chat = self.query_one("#chat", ChatLog)
        match event:
            case StepChanged():
                self.query_one("#step", Static).update(event.label)
                self._show_session_mode()
            case GuidanceFound(passages=passages):
                self.query_one(GuidancePanel).show(passages)
                self._sources = sources_of(passages)
                if not self._heap_settled:
                    self._heap_settled = True  # the knowledge base and model client are loaded
                    settle_heap()
            case TextDelta(text=text):
                self._show_progress(text)
                if self._reply is None:
                    self._reply = AssistantMessage()
                    await chat.add(self._reply)
                await self._reply.append(text)
            case TurnComplete(role="assistant"):
                self._set_thinking(False)
                self._show_cited(event.sources)
                if self._reply is None:
                    self._reply = AssistantMessage()
                    await chat.add(self._reply)
                await self._reply.complete(
                    event.content, event.sources, interrupted=event.interrupted
                )
                self._can_retry = event.interrupted
                self._reply = None
                self._forget_hidden_lines()
                self.call_after_refresh(collect_if_due)  # once the finished reply is drawn
            case TurnComplete():
                self._answer_saved()
                await chat.add(UserMessage(event.content))
                self._set_thinking(True)
            case Notice():
                self._show_session_mode()
                await chat.add(NoticeLine(event.text, event.level))
                self.notify(inert(event.text), markup=False, severity=_severity(event.level))
            case ErrorOccurred():
                await chat.add(NoticeLine(event.message, "error"))
                self._can_retry = True
                self._ask_about_error(event)
            case ArtifactReady():
                await self._artifact_ready(event)
            case CloseOffered(items=items):
                await chat.add(CloseOffer(items))

    async def _artifact_ready(self, event: ArtifactReady) -> None:
        assert self._engine is not None and self._engine.session is not None
        self._artifact_session = self._engine.session.id
        await self.query_one("#chat", ChatLog).add(
            NoticeLine(f"{event.title} is ready and saved in your journal. ctrl+o opens it.")
        )
        self.query_one("#step", Static).update("Done")
        self.reflect.open_artifact(self._artifact_session)

    @on(CloseOffer.Answered)
    async def _close_offer_answered(self, event: CloseOffer.Answered) -> None:
        """Close the offered items in the journal, or keep them open, and say which."""
        if not event.accept:
            await event.offer.settle(Outcome.KEPT)
            return
        assert self._engine is not None
        try:
            closed = self._engine.close_items([item.id for item in event.offer.items])
        except JournalWriteError as exc:
            await self.query_one("#chat", ChatLog).add(NoticeLine(str(exc), "error"))
            return
        await event.offer.settle(Outcome.CLOSED, closed or None)

    def _show_cited(self, sources: Sequence[Source]) -> None:
        """A reply replayed on resume lists the passages it cites (the ones it was written
        from are already listed when it was written here)."""
        panel = self.query_one(GuidancePanel)
        cited = [(s.source, s.title) for s in sources]
        if cited and cited != [(ref.source, ref.title) for ref in panel.refs]:
            panel.show_refs([PassageRef(title=title, source=source) for source, title in cited])

    @on(GuidancePanel.Opened)
    def _open_listed(self, event: GuidancePanel.Opened) -> None:
        self._open_ref(event.ref)

    def action_open_passage(self, number: int) -> None:
        """Open passage ``number`` of the guidance panel (a click on a cited ``[n]``)."""
        refs = self.query_one(GuidancePanel).refs
        if 1 <= number <= len(refs):
            self._open_ref(refs[number - 1])

    @on(ReplyMarkdown.CitationOpened)
    def _open_cited(self, event: ReplyMarkdown.CitationOpened) -> None:
        self.action_open_passage(event.number)

    @on(ReplyMarkdown.LinkOpened)
    def _open_clicked_link(self, event: ReplyMarkdown.LinkOpened) -> None:
        open_link(self.app, event.link.href)

    def _reply_targets(self) -> list[Target]:
        """What the newest reply that points anywhere points to: its cited passages (as the
        guidance panel lists them), then its links."""
        refs = self.query_one(GuidancePanel).refs
        for message in reversed(self.query(AssistantMessage)):
            markdown = message.markdown
            passages = [
                Target(TargetKind.PASSAGE, refs[n - 1].title, number=n)
                for n in markdown.citations
                if 1 <= n <= len(refs)
            ]
            links = [Target(TargetKind.LINK, link.text, href=link.href) for link in markdown.links]
            if passages or links:
                return passages + links
        return []

    def action_reply_links(self) -> None:
        """List the passages and links of the newest reply that has any; open the one chosen."""
        targets = self._reply_targets()
        if not targets:
            self.notify("The replies so far have no links or cited passages.", markup=False)
            return

        def chosen(target: Target | None) -> None:
            if target is None:
                return
            if target.kind is TargetKind.PASSAGE:
                self.action_open_passage(target.number)
            else:
                open_link(self.app, target.href)

        self.app.push_screen(LinkPicker(targets), chosen)

    def _open_ref(self, ref: PassageRef) -> None:
        from assistant.ui.passage_screen import PassageScreen  # loaded when first opened

        knowledge = self._engine.knowledge if self._engine is not None else None
        self.app.push_screen(PassageScreen(ref, knowledge))

    def _forget_hidden_lines(self) -> None:
        """Let messages scrolled out of view drop the lines they cached when last drawn.

        Textual keeps a widget's drawn lines (and the pieces the compositor cut them into)
        until its next refresh; over a long conversation that is most of its memory. A message
        scrolled back into view is simply drawn again.
        """
        chat = self.query_one("#chat", ChatLog)
        view = chat.scrollable_content_region
        for message in chat.children:
            if not message.region.overlaps(view):
                for widget in message.walk_children(with_self=True):
                    widget.refresh()
        # Textual can keep drawing the thumb where it was before the last change of height.
        chat.call_after_refresh(chat.vertical_scrollbar.refresh)

    def _show_session_mode(self) -> None:
        """The badge says "Guide mode" once this session has fallen back to it."""
        assert self._engine is not None
        self.query_one(ModeBadge).guide_here = self._engine.mode == "guide"

    def _ask_about_error(self, event: ErrorOccurred) -> None:
        def chosen(choice: ErrorChoice | None) -> None:
            if choice == "retry":
                self.action_retry()
            elif choice == "guide" and self._engine is not None:
                self._run(self._engine.use_guide_mode("Continuing in guide mode, as you chose."))

        self.app.push_screen(ErrorDialog(event.message, retryable=event.retryable), chosen)

    def _set_thinking(self, thinking: bool) -> None:
        indicator = self.query_one(ReplyProgress)
        if thinking and indicator.started is None:
            indicator.start()
        elif not thinking:
            indicator.stop()

    def _show_progress(self, text: str) -> None:
        """A streamed reply counts its tokens; guide mode's reply arrives whole."""
        assert self._engine is not None
        if self._engine.mode == "model":
            self.query_one(ReplyProgress).streamed(text)
        else:
            self._set_thinking(False)

    def _answer_saved(self) -> None:
        """The answer being sent is in the journal: only now does it leave the answer box."""
        if self._sending is not None:
            self._sending = self._unsaved_answer = None
            self.refresh_bindings()
            self.query_one("#message", MessageInput).clear()

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    # --- user actions -------------------------------------------------------------------------

    @on(MessageInput.Submitted)
    def _send(self, message: MessageInput.Submitted) -> None:
        text = message.text.strip()
        if not text or self._engine is None:
            return
        if self.busy:
            self.notify("Wait for the reply, or press esc to stop it.", markup=False)
            return
        self._sending = text
        self._run(self._engine.send(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer (and show in the footer) only what applies right now."""
        if action == "stop":
            return self.busy
        if action == "back":
            return not self.busy
        if action == "finish":
            return not self.busy and self._artifact_session is None
        if action == "retry":
            return self._can_retry and not self.busy
        if action == "open_artifact":
            return self._artifact_session is not None
        if action == "copy_answer":
            return self._unsaved_answer is not None
        return True

    def action_stop(self) -> None:
        """Cancel the reply in flight; the engine keeps what arrived, marked interrupted."""
        if self._worker is not None:
            self._worker.cancel()

    def action_back(self) -> None:
        """Leave; mid-conversation, first say that nothing is lost and ask."""
        if self._artifact_session is not None or self._engine is None:
            self.app.pop_screen()
            return

        def chosen(leave: bool | None) -> None:
            if leave:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmModal(LEAVE_QUESTION, "Leave", cancel_label="Stay", safe=True), chosen
        )

    def action_toggle_guidance(self) -> None:
        panel = self.query_one("#guidance")
        panel.display = not panel.display
        self._guidance_chosen = True

    def on_resize(self, event: events.Resize) -> None:
        self._fit_guidance(event.size.width)

    def _fit_guidance(self, width: int) -> None:
        """Narrow, the panel hides by itself so the chat keeps its width; wide again, it comes
        back, unless the user showed or hid it by hand (ctrl+g) while wide."""
        panel = self.query_one("#guidance")
        if width < GUIDANCE_MIN_WIDTH:
            panel.display = False
            self._guidance_chosen = False
        elif not self._guidance_chosen:
            panel.display = True

    def action_retry(self) -> None:
        if self._engine is not None:
            self._run(self._engine.retry())

    def action_finish(self) -> None:
        if self._engine is not None:
            self._run(self._engine.finish())

    def action_copy_answer(self) -> None:
        """Put an answer the journal refused on the clipboard (OSC 52 where supported)."""
        if self._unsaved_answer is not None:
            self.app.copy_to_clipboard(self._unsaved_answer)
            self.notify("Your answer is copied to the clipboard.", markup=False)

    def action_open_artifact(self) -> None:
        if self._artifact_session is not None:
            self.reflect.open_artifact(self._artifact_session)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.refresh_bindings()
        if event.state == WorkerState.ERROR and event.worker.group == "reply":
            await self._reply_failed(event.worker.error)
        elif event.state in (WorkerState.SUCCESS, WorkerState.CANCELLED):
            self._sending = None

    async def _reply_failed(self, error: BaseException | None) -> None:
        """Say truthfully what was kept: an answer the journal refused stays in the box."""
        unsaved, self._sending = self._sending, None
        if isinstance(error, JournalWriteError) and unsaved is not None:
            self._unsaved_answer = unsaved
            self.refresh_bindings()
            said = (
                f"Your answer is NOT saved. {error} It is still in the answer box: "
                "enter tries again, ctrl+b copies it."
            )
            await self.query_one("#chat", ChatLog).add(NoticeLine(said, "error"))
            self.notify(said, severity="error", timeout=30, markup=False)
        elif isinstance(error, JournalWriteError):
            self.notify(
                f"Not saved: {error} What is on screen is not in the journal.",
                severity="error",
                timeout=30,
                markup=False,
            )
        else:
            self.notify(
                f"Something went wrong: {error}. Answers shown above are saved in the journal.",
                severity="error",
                markup=False,
            )


def _severity(level: str) -> SeverityLevel:
    return "warning" if level == Level.WARNING else "information"
