"""Finishing a flow: the artifact compiled (and drafted by a model), saved, and emitted.

The guide-mode compiler always builds the artifact from the answers; in model mode a model
may draft it too (unless the flow says ``model_drafts = false``), and a draft that is not
usable is dropped with a notice, so the user never loses an artifact to a bad model reply.
Saving also records the flow's action items, keeps the questions of the section the flow
names in ``saves_questions``, and marks the carried questions and done items.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.conversation.core.artifacts import (
    ArtifactDraft,
    artifact_schema,
    parse_draft,
    render_markdown,
)
from assistant.conversation.core.context import Context
from assistant.conversation.core.events import ArtifactReady, Notice
from assistant.conversation.core.kinds import Level, Pending
from assistant.conversation.guide.compiler import compile_artifact, merge_model_draft
from assistant.conversation.model.limits import ReplyPurpose
from assistant.conversation.model.requests import artifact_prompt
from assistant.journal import ActionItem

UNUSABLE_DRAFT_NOTICE = (
    "The model's draft was not usable; the artifact was compiled from your answers."
)


async def emit_saved_artifact(ctx: Context) -> bool:
    """Emit the artifact of a finished session again; False when there is none yet."""
    artifact = ctx.session.journal.artifact(ctx.session.id)
    if artifact is None:
        return False
    ready = ArtifactReady(artifact.title, artifact.markdown, artifact.data, saved_items(ctx))
    await ctx.emit(ready)
    return True


async def finish(ctx: Context) -> None:
    """Compile (and maybe draft) the artifact, save it, and emit it."""
    draft = compile_artifact(ctx.flow, ctx.state, ctx.session.profile, ctx.today)
    if ctx.model_mode and ctx.flow.model_drafts:
        model_draft, notice = await _model_draft(ctx, draft)
        if notice is not None:
            await ctx.emit(notice)
        if model_draft is not None:
            draft = merge_model_draft(model_draft, draft, ctx.flow, ctx.today)
    await ctx.emit(save_artifact(ctx, draft))


def saved_items(ctx: Context) -> list[ActionItem]:
    return ctx.session.saved_action_items()


def item_data(items: list[ActionItem]) -> list[dict[str, Any]]:
    """Action items as the artifact's data and ``reflect chat --json`` list them."""
    return [{"id": item.id, "text": item.text, "due": item.due} for item in items]


def save_artifact(ctx: Context, draft: ArtifactDraft) -> ArtifactReady:
    session, flow, state = ctx.session, ctx.flow, ctx.state
    journal = session.journal
    markdown = render_markdown(draft, subtitle=f"{flow.title} · {ctx.today.isoformat()}")
    items = saved_items(ctx)
    if not items:
        for item in draft.action_items:
            items.append(journal.add_action_item(session.id, item.text, item.due))
    if flow.saves_questions:
        for question in draft.section_items(flow.section(flow.saves_questions).heading):
            journal.save_question(session.id, question)
    if state.saved_questions:
        journal.mark_questions_used([q.id for q in state.saved_questions], session.id)
    for item_id in state.done_items:  # in case a crash came between answer and update
        done = journal.get_action_item(item_id)
        if done is not None and done.status == "open":
            journal.set_action_status(item_id, "done")
    data = {
        "title": draft.title,
        "sections": [asdict(section) for section in draft.sections],
        "action_items": item_data(items),
    }
    journal.save_artifact(session.id, draft.title, data, markdown)
    state.finished = True
    state.pending = Pending.NONE
    journal.update_session(session.id, status="done", title=draft.title, state=state.to_dict())
    return ArtifactReady(draft.title, markdown, data, items)


async def _model_draft(
    ctx: Context, compiled: ArtifactDraft
) -> tuple[ArtifactDraft | None, Notice | None]:
    prompt = artifact_prompt(
        ctx.settings, ctx.flow, ctx.session.profile, ctx.session.turns, compiled, ctx.today
    )
    raw, notice = await ctx.speaker.json_reply(
        prompt, artifact_schema(), "artifact", ReplyPurpose.DRAFT
    )
    if raw is None:
        return None, notice
    draft = parse_draft(raw)
    if draft is None:
        return None, Notice(UNUSABLE_DRAFT_NOTICE, Level.WARNING)
    return draft, None
