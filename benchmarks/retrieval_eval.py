"""Retrieval quality on labelled questions, for dense, BM25 and the shipped hybrid search.

    python benchmarks/retrieval_eval.py [--devset FILE] [--heldout FILE] [--misses] [--final]

Builds the built-in index in a fresh temporary REFLECT_HOME (offline, local embeddings) and
asks every question of ``benchmarks/retrieval_devset.json`` and of
``benchmarks/retrieval_heldout.json`` (each a list of ``{"question", "topics"}``, the first
topic the best answer).

Passage level: ``benchmarks/passage_devset.json`` (and ``passage_devset_corpus.json``, for the
files added to the corpus, when it exists) is a list of ``{"question", "kind", "audience",
"must_say"}``. ``kind`` is ``plain`` or one of the hard kinds (``indirect``, ``emotional``,
``short``, ``misspelled``, ``rambling``); ``audience`` is the side the caller gives search
(``mentee``, ``mentor``) or null for none; ``must_say`` is a list of lists of strings. A
passage answers the question when, for every inner list, its heading or text holds at least
one of the strings (case-insensitively). The report gives, per method, the share of questions
answered by the first passage (top 1), by one of the first three (top 3), and the MRR over
the first ten.

``--final`` also scores ``benchmarks/passage_heldout_new.json``: 40 passage questions written
in people's own words (terse, misspelled, emotional, indirect, rambling; mentor and mentee
side) and labelled with the corpus sections that answer them, before any search was run on
them, for the second round of issue 15's tuning; and ``benchmarks/passage_heldout_3.json``:
30 more, written the same way for the third round (among them feeling like a burden to your
mentor, a mentor who only talks about themselves, a mentor younger than you, advice you
disagree with, impostor feelings before a first meeting), labelled only with wording the
corpus already held; and ``benchmarks/passage_heldout_4.json``: 20 more for the fourth
round, mostly emotional and indirect (mentor and mentee side), written, labelled and committed
before any search was run on them, and scored once, at the end of that round; and
``benchmarks/passage_heldout_5.json``: 50 more for the fifth round, written and committed by
someone who never saw the other sets, then judged blind against the old and the new search
(``passage_heldout_5_judgement.md``). They are meant
to be scored at the start and at the end of a round of tuning: only their aggregate figures
are printed, never their questions or misses.

``benchmarks/passage_devset_feelings.json`` (fourth round): 40 questions for tuning, all in
the tuned part (no hash split), mostly emotional and indirect: people saying how they feel
and what happened rather than naming the topic. The tuned part is reported as a whole and as
its earlier questions and these.

The dev set is what ranking choices were tuned on, and it is reported in two halves: half A
(the questions at even positions) chose the settings, half B (odd positions) confirmed them.
The held-out questions were written after the dev set, before any result on them was seen,
and were never tuned on: they are the honest estimate for questions nobody has asked yet.

What counts as a hit: a retrieved passage whose file's topics include a labelled topic
("any label"). The strict variant counts only passages whose topics include the question's
first label. hit@k is the share of questions with a hit among the first k results; MRR is
the mean of 1/rank of the first hit (0 when none of the 5 results is one).

What the shipped ranking adds to plain cosine similarity plus BM25, and what was tried and
did not win on both halves and the held-out set (MRR of the hybrid search, A / B / held-out):

- 0.772 / 0.788 / 0.762: cosine + 0.18 x normalised BM25, chunks embedded with their title
  and heading path (the previous configuration).
- 0.802 / 0.790 / 0.785: each chunk embedded with its file's opening paragraph as well.
- 0.816 / 0.821 / 0.875 (shipped): plus half the mean similarity of the file's other chunks,
  and the BM25 weight at 0.2.
- Not shipped: reciprocal rank fusion (k = 5 to 60, lexical weight 0.5 or 1: MRR 0.72 to
  0.76 on the dev set); min-max normalised fusion (better on B, worse on the held-out set);
  adding the best sibling or the file's first chunk instead of the mean of the others
  (smaller, uneven gains); BM25 field boosts (title twice, title and headings twice, topic
  names; none moved the hybrid MRR by more than 0.01); the opening paragraph in the BM25 text
  too (no gain); embedding the chunk text without title and heading (dense MRR 0.68 against
  0.72); embedding each chunk without the 256 word-piece cut (68 of 98 chunks are longer,
  mostly by 10 to 100 pieces; hybrid hit@5 up, MRR down) or as separate windows (max or
  mean; worse on the dev set).

Passage level, and what changed for it (shipped search; top 1 / top 3 / MRR on the 129
questions of ``passage_devset.json``; topic-level dev MRR and held-out MRR in brackets):

- 0.51 / 0.67 / 0.62 (0.82, 0.88): the configuration above, chunks of 200 to 350 tokens
  holding several sections, one place per file before any file gets a second.
- 0.50 / 0.78 / 0.65 (0.75, 0.89): one chunk per heading or bold label, each read whole by
  the model (about 200 word pieces with its prefix); the question put in the corpus's words
  (chat-speak, spelling, everyday phrasings) and its side inferred; a file's later chunks
  ranked 0.03 lower instead of after every other file.
- 0.51 / 0.79 / 0.67 (0.76, 0.90): plus hub damping (0.5 x the mean similarity to generic
  probe questions).
- 0.53 / 0.80 / 0.68 (0.76, 0.90): plus the phrasing "they keep cancelling".
- 0.55 / 0.80 / 0.69 (0.77, 0.90): a file's context from its best six other chunks.
- 0.55 / 0.80 / 0.67 (0.78, 0.90), shipped: a file's later chunks 0.1 lower, so that one file
  does not fill the guidance panel; "I take / got feedback" says the asker is the mentee.
- Not shipped: no file summary in the embedded text (no clear change); BM25 weight 0.3 (top 1
  up to 0.57, topic hit@5 down to 0.90); file context share 0.8 or 1.0; a repeat penalty of 0
  (topic hit@5 0.88). A cross-encoder
  re-ranker was not tried: no registry package ships one with its weights (flashrank and the
  sentence-transformers wrappers download them at run time).
- Tuning after the corpus grew to 190 passage questions (issue 15) used only the 70% of them
  outside the held-out part (see :func:`in_passage_heldout`; the split was fixed before any
  tuning, by a hash of the question, and the held-out part is reported on its own). Figures
  are top 1 / top 3 / MRR on the tuned part, then on the held-out part, then topic-level dev
  hit@5 / MRR:
  0.553 / 0.803 / 0.685, 0.552 / 0.793 / 0.677, 0.978 / 0.770 at the start;
  0.598 / 0.818 / 0.718, 0.586 / 0.793 / 0.694, 0.967 / 0.770 with a file's opening section
  0.06 lower (``OPENING_PENALTY``). Not shipped: BM25 weight 0.3, hub weight 0.8, repeat
  penalty 0.05 (each within 0.015 of it on the tuned part, and lower topic hit@5).
  0.636 / 0.871 / 0.757, 0.586 / 0.793 / 0.694, 0.967 / 0.770 with everyday words added to
  eight sections that answer but lacked them (a coffee chat, how often to meet, a one-off
  chat, video calls feeling awkward, "always says it's fine", using their feedback, positive
  feedback, being new to mentoring), "culture" and its neighbours mapped to the corpus's
  "cultures languages", and one label widened ("broke your confidence": the section written
  for exactly that question answers it; 1 of 190 labels changed).
  0.659 / 0.917 / 0.786, 0.586 / 0.793 / 0.694, 0.978 / 0.781 with six more everyday
  phrasings in the query vocabulary (how often to meet, a one-off chat, doing my part, having
  to agree, "everything's fine", praise). The held-out part did not move with either of these
  two steps: they fix the wording of the situations seen, and say little about others.
- Targets not met before issue 15's tuning: passage top 3 0.80 (target 0.90) and top 1 0.55
  (0.70); topic hit@5 on the dev set 0.94 (0.95) and MRR 0.78 (0.80), where whole-section
  chunks lose some of the file-level match the larger chunks had. The held-out set rose from
  0.88 to 0.90.

Second round of issue 15 (general mechanisms only; no vocabulary or corpus wording was added
for a dev question). Figures: tuned part top 1 / top 3 / MRR, then topic-level dev hit@5 / MRR;
each step kept only if it won there without lowering the others.

- 0.659 / 0.917 / 0.786, 0.978 / 0.781 at the start.
- 0.667 / 0.917 / 0.790, 0.978 / 0.793: a correctly spelled English word the corpus does not
  use is no longer "corrected" to a corpus word ("bored" had become "boxed", "sharp"
  "sharper", "cries" "crises", "suck" "stuck"); English is the local model's vocabulary.
- 0.667 / 0.917 / 0.791, 0.978 / 0.818 (shipped): a question of 18 words or more is also
  embedded sentence by sentence (a run-on sentence cut at its commas), and 0.4 of a chunk's
  similarity is its mean similarity to the sentences (``PART_SHARE``; 0.25 gives 0.667 / 0.917
  / 0.790, 0.989 / 0.809; the best sentence instead of the mean, 0.674 / 0.924 / 0.795 but
  topic MRR 0.790; sentences weighted by the IDF of their words, no clear change).
- 0.674 / 0.917 / 0.795, 0.978 / 0.818: a section whose heading says it is for the other
  side ("Mentees: bring your wins", "For mentors: ...", "... your mentor") loses
  ``SIDE_PENALTY`` like a file for the other side; the caller's audience names the side too.
- 0.689 / 0.917 / 0.802, 0.967 / 0.816: chunking format 4: a section over the budget splits
  into pieces of about the same size at its list items, where it had split into a full chunk
  and a scrap of a sentence or two (which ranked first on its heading alone) and cut numbered
  steps at their sentences.
- Tried, not shipped (figures on the tuned part before the chunking step): a bonus for query
  words in the chunk's own heading (0.05 to 0.2: top 1 0.636 to 0.659, top 3 down to 0.856);
  a bonus for passages with an "Instead of / Try" pair (0.02: top 1 unchanged, topic hit@5
  0.956); pseudo-relevance feedback, the query moved towards its best 1, 3 or 5 chunks (0.2 to
  0.7: top 1 0.636 to 0.667); hub damping from the corpus itself (similarity to the corpus
  centroid, or to a chunk's ten nearest chunks) instead of or as well as the probe questions
  (best 0.682 / 0.917 / 0.801 but topic hit@5 0.956; the others lower); each heading embedded
  alone and mixed in (0.1: 0.674 / 0.886); a chunk's best-matching sentence, each of the 1,951
  sentences embedded (0.1: 0.682 / 0.932 / 0.797 but topic MRR 0.804; 0.2 and more lower);
  feeling words ("awful", "so annoyed", "I feel like") taken out of the question as an extra
  part (no change for emotional questions). After the chunking step, every ranking constant
  moved by one step either way stays within one question of the shipped figures.
- Where the round ended (shipped; top 1 / top 3 / MRR): tuned part 0.659 / 0.917 / 0.786 ->
  0.689 / 0.924 / 0.802; held-out part 0.586 / 0.793 / 0.694 -> 0.586 / 0.776 / 0.692;
  ``passage_heldout_new.json`` (``--final``) 0.550 / 0.700 / 0.632 -> 0.550 / 0.775 / 0.653,
  its rambling questions 0.667 / 0.667 / 0.708 -> 0.833 / 1.000 / 0.917 and its emotional
  ones the weakest (0.125 / 0.500 / 0.296). Topic level: dev hit@5 / MRR 0.978 / 0.781 ->
  0.967 / 0.796 (target 0.95 / 0.80), held-out 0.958 / 0.910 unchanged. The new file was
  scored three times: on the code the round started from, on the round's end with questions
  parted from 18 words (0.575 / 0.775 / 0.667; topic dev MRR 0.816), and after parting was
  raised to 30 words for the query time (``query.MIN_PARTED_WORDS``), a choice made on the
  time and the tuned part only. Passage top 1 stays short of 0.70 on every part, and top 3
  reaches 0.90 on the tuned part only.

Third round of issue 15 (the tuned part and the topic-level dev set only; ``passage_heldout_3``
was written and committed first, and scored only at the start and the end). Figures: tuned
part top 1 / top 3 / MRR, topic-level dev hit@5 / MRR.

- 0.689 / 0.924 / 0.802, 0.956 / 0.793 at the start.
- 0.689 / 0.917 / 0.799, 0.967 / 0.808: sections for five situations people bring that the
  corpus lacked (feeling like a burden to your mentor, a mentor who mostly talks about
  themselves, a mentor younger than you and mentoring someone older, advice you disagree
  with, as a new file for both sides, and nerves before a first meeting). Kept for coverage:
  one tuned question drops out of the top 3 to a new section on advice.
- 0.705 / 0.917 / 0.807, 0.967 / 0.816: the query vocabulary read "mean" in "what that means"
  and "meant to" as harsh criticism, and a "coffee chat" or a "one-off chat" as a chat
  message; "mean" now counts only as unkind ("was so mean") and "chat" only as a channel
  ("over chat"). ("cry", "gift", "secret" no longer match "crystal", "gifted", "secretary":
  no change.)
- 0.720 / 0.917 / 0.816, 0.967 / 0.816: "ghosted" is read as a mentor gone quiet (which has
  its own file), not as "keep cancelling"; "find a mentor" no longer adds "first message",
  which belongs to asking someone. Found by leaving out each of the 41 vocabulary entries in
  turn: 26 change nothing on the tuned part, and only these two were wrong in meaning.
  (Being "anxious" about one email no longer adds "professional help": no change.)
- 0.727 / 0.917 / 0.821, 0.967 / 0.816 (shipped): the words people type, where the guidance
  lacked them: harassment, creepy and "hitting on you" in the file on a mentor crossing a
  line, burnout among the signs of over-commitment, being laid off as a setback.
- Tried, not shipped (figures against the step they were tried on):
  - each chunk's text, alone or under its own heading, embedded a second time and mixed into
    its similarity (0.15 / 0.3 / 0.5 of it; against 0.689 / 0.924 / 0.802, 0.956 / 0.793):
    text alone 0.689 / 0.924 / 0.801, 0.667 / 0.879 / 0.780, 0.659 / 0.841 / 0.762; under
    its heading 0.705 / 0.917 / 0.807 with topic MRR 0.790, then lower. A second embedding
    per chunk for one question.
  - the "Instead of" wording and quoted phrases of a chunk (567 lines) embedded, and the best
    one's similarity above the median added (0.05 / 0.1 / 0.2 / 0.3): 0.705 / 0.924 / 0.808,
    0.712 / 0.909 / 0.809, 0.667 / 0.886 / 0.782, 0.636 / 0.871 / 0.763; topic MRR 0.789 to
    0.793. Askers do write like the "Instead of" lines, but the gain is within two questions.
  - BM25 divided by the best score the query could reach (the sum of its terms' IDF) instead
    of by the best match, weight 0.3 to 1.2 (against 0.689 / 0.917 / 0.799, 0.967 / 0.808):
    at best 0.697 / 0.917 / 0.803 with topic MRR 0.787; BM25 relative to the best raised to
    0.5 / 1.5 / 2: 0.652, 0.667, 0.659 top 1.
  - a bonus for the query's adjacent word pairs (stemmed, IDF-weighted) found in the chunk,
    0.05 / 0.1 / 0.2, pairs of neighbours or within three words: at best 0.697 / 0.924 / 0.807
    (one question), topic unchanged.
  - every ranking constant one step either way (OPENING_PENALTY 0.03 to 0.15, REPEAT_PENALTY
    0.05 / 0.15, FILE_CONTEXT_SHARE 0.4 / 0.6, HUB_WEIGHT 0.3 / 0.7, LEXICAL_WEIGHT 0.15 /
    0.25, CONTEXT_CHUNKS 4 / 8, SIDE_PENALTY 0.05 / 0.15): all within three questions of top
    1, some trading topic figures.
  - at the end: questions parted from 14, 18 or 24 words instead of 30: 0.727 / 0.909 / 0.820
    and topic MRR 0.822 (not worth embedding most questions twice); feeling words ("I feel",
    awful, annoyed, embarrassed, honestly, ...) left out of the BM25 query: 0.720 / 0.924 /
    0.817, topic 0.967 / 0.815.

Fourth round of issue 15 (emotional and indirect questions). Figures: top 1 / top 3 / MRR on
the tuned part's earlier questions, then on the 40 feelings questions, then topic-level dev
hit@5 / MRR.

- 0.727 / 0.917 / 0.821, 0.425 / 0.625 / 0.514, 0.967 / 0.816 at the start. Dense alone finds
  the answer first for 0.350 of the feelings questions, BM25 alone for 0.200.
- Tried, not shipped: the question embedded a second time with its feeling clauses left out
  (a clause holding a general feeling word: sad, ashamed, stung, awkward, dread, proud, ...;
  only when another clause tells what happened) and mixed into the query vector (0.15 / 0.25 /
  0.4 / 0.6 / 1.0 of it): feelings 0.425 / 0.625 / 0.527 at 0.25, 0.425 / 0.600 / 0.529 at 0.4
  and 0.350 / 0.550 / 0.454 with the situation alone, earlier questions one question up, topic
  hit@5 0.956. The feeling words do not dominate the question's vector as feared: the passages
  that answer sit far from the situation sentence too (0.16 cosine between "he talks about
  himself for an hour" and the section "They mostly talk about themselves", whose vector is
  about raising a problem with a mentor). Long questions' parts with feeling clauses left out
  and feeling-only parts dropped: 0.720 / 0.917 / 0.817, topic MRR 0.811. Feeling words left
  out of the BM25 query, or BM25 on the situation clauses only, weight 0.2 and 0.3: at best
  0.735 / 0.924 / 0.824 and 0.425 / 0.625 / 0.534, topic 0.956 / 0.812. The expansion repeated
  in the BM25 query: no change (query terms count once). Four feeling-only probe questions
  added to the hub probes ("I feel awful about what happened", ...), so that passages close to
  any upset question are damped (tried on the shipped step): 0.727 / 0.909 / 0.818, 0.650 /
  0.900 / 0.758, topic 0.956 / 0.824.
- 0.727 / 0.917 / 0.821, 0.425 / 0.625 / 0.515, 0.967 / 0.816: a word with a common ending or
  beginning of an English word ("overdo", "replying") is not "corrected" ("overdo" had become
  "over").
- 0.735 / 0.917 / 0.826, 0.650 / 0.900 / 0.758, 0.967 / 0.814 (shipped): phrasing families
  for what people tell when they say what happened (criticism in front of the team, "is that
  even fair", mentoring many people, a mentee who did the opposite, a mentor who talks about
  himself, a final session still to come, not knowing how to ask, never hearing back, a
  mentor doubting the sessions are useful, a PIP, a mentee who never says no, English as a
  second language, having nothing to give back, pride in a win, remarks on looks and late
  texts). Each left out in turn: "last session" read as the previous one and "two people"
  cost topic MRR (0.801), and were narrowed.
- Where the round ended (``--final``; start -> end): held-out part 0.552 / 0.810 / 0.681 ->
  0.552 / 0.810 / 0.688; ``passage_heldout_new`` 0.550 / 0.750 / 0.646 -> 0.600 / 0.775 /
  0.684 (emotional 0.125 -> 0.250 top 1); ``passage_heldout_3`` 0.233 / 0.467 / 0.355 ->
  0.300 / 0.500 / 0.410; ``passage_heldout_4`` (scored once, at the end) 0.400 / 0.650 /
  0.562, about where the feelings questions were before they were tuned on: the phrasing
  families fix the situations seen and carry over only in part. Topic held-out unchanged.

Fifth round of issue 15: asked lines. Every chunk of the corpus got a hidden block of four to
seven lines in the asker's words (``<!-- asked: ... -->``; 2,151 lines over the 426 chunks),
written from each section's content by five writers who never saw any question of the dev
or held-out sets: terse, told as an incident with a feeling, indirect, and as a plain
question, from the side the section is for. Search reads them twice: BM25 indexes them with
the chunk's text, and a chunk takes ``ASKED_SHARE`` of its similarity from its closest line.
Figures: top 1 / top 3 / MRR on all 230 dev questions and on the tuned part, then topic-level
dev hit@5 / MRR (choices made on the tuned part and the topic set only).

- 0.674 / 0.887 / 0.779, 0.715 / 0.913 / 0.810, 0.967 / 0.814 at the start.
- Lines in the dense side only, the closest line's similarity mixed in (0.2 / 0.3 / 0.4):
  0.696 / 0.909, 0.700 / 0.904, 0.704 / 0.900 on all; topic 0.967 / 0.807 to 0.784. Moving
  the similarity towards the closest line only when it is higher ("max", 0.3 / 0.5): 0.696 /
  0.913, 0.717 / 0.909, topic hit@5 0.956 / 0.944. The lines' mean vector mixed into the
  chunk's one vector (0.3): 0.630 / 0.870 (the mean of several phrasings is no phrasing).
- Lines in BM25 as well, in the chunk's own text: 0.743 / 0.909 / 0.825, tuned 0.785 / 0.907
  / 0.845, topic 0.956 / 0.805 (``ASKED_SHARE`` 0.2, ``LEXICAL_WEIGHT`` 0.2). As a field of
  their own, added at 0.3 / 0.6 / 1.0 of the text's normalised score: at best 0.726 / 0.926
  on all, topic hit@5 0.944 to 0.967, MRR 0.78 to 0.82.
- With BM25 reading the lines, its weight counts for more: ``LEXICAL_WEIGHT`` 0.35 and
  ``ASKED_SHARE`` 0.1 (see their comments for the grid): 0.761 / 0.939 / 0.843, tuned 0.797 /
  0.942 / 0.862, topic 0.967 / 0.833.
- Openings (a file's text before its first section) now have lines about the file's whole
  subject and matched broad questions more: ``OPENING_PENALTY`` 0.12 (from 0.06): 0.787 /
  0.935 / 0.856, tuned 0.831 / 0.936 / 0.879, topic 0.967 / 0.827 (shipped).
- Then the corpus was made consistent (one place for how to ask someone to mentor you, for
  giving back and for the evidence log; five labelled reactions to feedback; a manager who
  will not give time for a programme; telling your mentor what helps): 0.774 / 0.917 /
  0.846, tuned 0.820 / 0.930, topic 0.967 / 0.829. One label was widened because its section
  was reworded ("don't ask straight away" became "on the spot"; 1 of 230): 0.778 / 0.922 /
  0.850, tuned 0.826 / 0.936 / 0.876 (shipped).
- A section cut into pieces (37 sections are too long for one chunk) is one result, shown
  whole, where each piece had been a result of its own (two places of three taken by one
  section, or a piece that starts mid-thought): 0.791 / 0.922 / 0.858, tuned 0.831 / 0.936 /
  0.880, topic 0.967 / 0.829 (shipped). Leaving the later pieces out without joining them
  gave 0.778 / 0.909 (the answering sentence is sometimes in the second piece).
- Sections for situations the blind judgement found missing, written by someone who saw no
  question (negotiating pay; references a mentor cannot give; a mentor who moves on; a
  mentee who brings nothing to discuss; thinking about leaving your job; coming back from
  leave; 50 files): 0.796 / 0.917 / 0.860, tuned 0.837 / 0.930, but topic hit@5 0.944 (a
  question about asking a mentor her salary got four sections of the new file on pay). A
  file's later passages 0.15 lower (``REPEAT_PENALTY``, from 0.1) and its context at 0.4
  (``FILE_CONTEXT_SHARE``, from 0.5): 0.800 / 0.913 / 0.860, tuned 0.843 / 0.924 / 0.884,
  topic 0.956 / 0.829 (shipped; see the constants' comments for the grid).
- Where the round ended (``--final``; start -> end, top 1 / top 3): held-out part 0.552 /
  0.810 -> 0.672 / 0.879 (MRR 0.688 -> 0.791); ``passage_heldout_new`` 0.600 / 0.775 -> 0.550
  / 0.725; ``passage_heldout_3`` 0.300 / 0.500 -> 0.400 / 0.567; ``passage_heldout_4`` 0.400 /
  0.650 -> 0.650 / 0.800; ``passage_heldout_5`` (new, written by someone who saw no other set)
  0.560 / 0.760 when judged, 0.560 / 0.720 at the end; read by that person, a top-3 passage
  helps in 41 of its 50 questions (36 before the round), the first in 27 (24). Lines written
  from the content, not from questions, carry over to questions nobody tuned on, where the
  vocabulary of the earlier rounds did not; ``passage_heldout_new``, the set the earlier
  rounds' vocabulary was closest to, lost two questions from the top 3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase, Passage

DEVSET = Path(__file__).with_name("retrieval_devset.json")
HELDOUT = Path(__file__).with_name("retrieval_heldout.json")
PASSAGE_SETS = (
    Path(__file__).with_name("passage_devset.json"),
    Path(__file__).with_name("passage_devset_corpus.json"),
)
#: Passage questions written for tuning only (none of them is held out): 40 questions of the
#: fourth round of issue 15, mostly emotional and indirect, where people say how they feel
#: and what happened rather than naming the topic.
TUNED_ONLY_SETS = (Path(__file__).with_name("passage_devset_feelings.json"),)
HARD_KINDS = ("indirect", "emotional", "short", "misspelled", "rambling")
K = 5
PASSAGE_K = 10
TARGET_TOP3, TARGET_TOP1 = 0.90, 0.70
METHODS = (("dense", "dense"), ("BM25", "lexical"), ("shipped (hybrid)", "hybrid"))
TARGET_HIT5, TARGET_MRR = 0.95, 0.80
FINAL_SETS = (
    Path(__file__).with_name("passage_heldout_new.json"),
    Path(__file__).with_name("passage_heldout_3.json"),
    Path(__file__).with_name("passage_heldout_4.json"),
    Path(__file__).with_name("passage_heldout_5.json"),
)
PASSAGE_HELDOUT_SEED = "reflect-passage-split-15"
PASSAGE_HELDOUT_PERCENT = 30


def in_passage_heldout(question: str) -> bool:
    """Whether a passage question is in the held-out part of the passage dev set.

    The split was fixed before the ranking was tuned on the passage questions (issue 15): a
    question is held out when the SHA-1 of the seed and its text falls in the first 30 of
    100 buckets. Hashing the text, not the position, keeps every question on its side when
    questions are added or reordered. Tuning looked only at the other part.
    """
    digest = hashlib.sha1(f"{PASSAGE_HELDOUT_SEED}\n{question}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < PASSAGE_HELDOUT_PERCENT


@dataclass
class Scores:
    hit1: float
    hit5: float
    mrr: float


@dataclass
class Ranks:
    """Per question, the rank of the first hit with any label and with the first label."""

    lenient: list[int | None]
    strict: list[int | None]

    def subset(self, indexes: Sequence[int]) -> Ranks:
        return Ranks([self.lenient[i] for i in indexes], [self.strict[i] for i in indexes])


def first_hit(results: Sequence[Passage], is_hit: Callable[[Passage], bool]) -> int | None:
    """The 1-based rank of the first hit, or None."""
    return next((rank for rank, p in enumerate(results, start=1) if is_hit(p)), None)


def score(ranks: list[int | None]) -> Scores:
    count = len(ranks) or 1
    return Scores(
        hit1=sum(r == 1 for r in ranks) / count,
        hit5=sum(r is not None and r <= K for r in ranks) / count,
        mrr=sum(1 / r for r in ranks if r is not None) / count,
    )


def has_topic(passage: Passage, topics: set[str]) -> bool:
    return bool(topics & set(passage.topics))


def rank_all(
    kb: KnowledgeBase, questions: list[dict], method: str, misses: bool
) -> tuple[Ranks, float]:
    """The ranks for every question, and the mean milliseconds per query."""
    ranks = Ranks([], [])
    started = time.perf_counter()
    for item in questions:
        labels, best = set(item["topics"]), item["topics"][0]
        results = kb.search(item["question"], k=K, method=method)
        lenient = first_hit(results, partial(has_topic, topics=labels))
        ranks.lenient.append(lenient)
        ranks.strict.append(first_hit(results, partial(has_topic, topics={best})))
        if misses and lenient != 1:
            got = ", ".join(p.source for p in results[:3])
            print(
                f"  [{method}] rank {lenient}: {item['question'][:70]!r} {item['topics']} -> {got}"
            )
    per_query_ms = (time.perf_counter() - started) / max(len(questions), 1) * 1000
    return ranks, per_query_ms


def answers(passage: Passage, must_say: list[list[str]]) -> bool:
    """Whether the heading or text says, for every group of ``must_say``, one of its strings."""
    text = f"{passage.heading}\n{passage.text}".lower()
    return all(any(option.lower() in text for option in group) for group in must_say)


def rank_passages(
    kb: KnowledgeBase, questions: list[dict], method: str, misses: bool
) -> list[int | None]:
    """Per question, the 1-based rank of the first passage that answers it (None: not in 10)."""
    ranks: list[int | None] = []
    for item in questions:
        results = kb.search(
            item["question"], k=PASSAGE_K, method=method, audience=item.get("audience")
        )
        rank = first_hit(results, partial(answers, must_say=item["must_say"]))
        ranks.append(rank)
        tunable = not is_held_out(item)
        if misses and tunable and method == "hybrid" and (rank is None or rank > 1):
            got = "; ".join(f"{p.source}: {p.heading.split(' > ')[-1]}" for p in results[:3])
            print(f"  [passage] rank {rank} ({item['kind']}): {item['question'][:90]!r}")
            print(f"      must say {item['must_say']} -> {got}")
    return ranks


def passage_scores(ranks: Sequence[int | None]) -> tuple[float, float, float]:
    count = len(ranks) or 1
    return (
        sum(r == 1 for r in ranks) / count,
        sum(r is not None and r <= 3 for r in ranks) / count,
        sum(1 / r for r in ranks if r is not None) / count,
    )


def print_passage_table(
    name: str, results: dict[str, list[int | None]], indexes: Sequence[int]
) -> tuple[float, float, float]:
    print(f"\n{name} ({len(indexes)} questions)")
    print(f"  {'method':<18} {'top 1':>6} {'top 3':>6} {'MRR':>6}")
    shipped = (0.0, 0.0, 0.0)
    for label, ranks in results.items():
        shipped = passage_scores([ranks[i] for i in indexes])
        print(f"  {label:<18} {shipped[0]:>6.3f} {shipped[1]:>6.3f} {shipped[2]:>6.3f}")
    return shipped


def print_by_kind(questions: list[dict], ranks: list[int | None]) -> None:
    """The shipped configuration's figures for each kind of question."""
    print(f"\n  {METHODS[-1][0]} by kind:")
    for kind in ("plain", *HARD_KINDS):
        subset = [i for i, item in enumerate(questions) if item["kind"] == kind]
        one, three, mrr = passage_scores([ranks[i] for i in subset])
        print(
            f"  {kind:<12} {len(subset):>4}   top 1 {one:.3f}   top 3 {three:.3f}   MRR {mrr:.3f}"
        )


def load_passage_questions() -> list[dict]:
    """The passage dev set; questions of ``TUNED_ONLY_SETS`` are marked ``tuned_only``."""
    questions: list[dict] = []
    for path in PASSAGE_SETS:
        if path.exists():
            questions.extend(json.loads(path.read_text(encoding="utf-8")))
    for path in TUNED_ONLY_SETS:
        if path.exists():
            questions.extend(
                {**item, "tuned_only": True} for item in json.loads(path.read_text("utf-8"))
            )
    return questions


def is_held_out(item: dict) -> bool:
    """Whether a passage dev question is in the held-out part (never for tuned-only sets)."""
    return not item.get("tuned_only") and in_passage_heldout(item["question"])


def print_table(name: str, results: dict[str, Ranks]) -> Scores:
    """One block of the report; returns the shipped configuration's lenient scores."""
    count = len(next(iter(results.values())).lenient)
    print(f"\n{name} ({count} questions)")
    print(
        f"  {'method':<18} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}   "
        f"{'strict hit@1':>12} {'hit@5':>6} {'MRR':>6}"
    )
    shipped = Scores(0, 0, 0)
    for label, ranks in results.items():
        lenient, strict = score(ranks.lenient), score(ranks.strict)
        print(
            f"  {label:<18} {lenient.hit1:>6.3f} {lenient.hit5:>6.3f} {lenient.mrr:>6.3f}   "
            f"{strict.hit1:>12.3f} {strict.hit5:>6.3f} {strict.mrr:>6.3f}"
        )
        shipped = lenient
    return shipped


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--misses", action="store_true", help="list questions not hit first")
    parser.add_argument(
        "--final",
        action="store_true",
        help=f"also score {', '.join(p.name for p in FINAL_SETS)} (aggregates only)",
    )
    args = parser.parse_args(argv)
    devset = json.loads(args.devset.read_text(encoding="utf-8"))
    heldout = json.loads(args.heldout.read_text(encoding="utf-8"))
    questions = devset + heldout
    dev_range = range(len(devset))
    sets = {
        "dev set, half A (tuned on)": [i for i in dev_range if i % 2 == 0],
        "dev set, half B (confirmation)": [i for i in dev_range if i % 2 == 1],
        "dev set, whole": list(dev_range),
        "held-out set (never tuned on)": list(range(len(devset), len(questions))),
    }

    with tempfile.TemporaryDirectory(prefix="reflect-eval-") as home:
        kb = KnowledgeBase.open(load_settings({"REFLECT_HOME": home}))
        report = kb.ensure_index()
        print(f"index: {report.chunks} chunks (built in {report.seconds:.1f} s)")
        ranks: dict[str, Ranks] = {}
        for label, method in METHODS:
            ranks[label], ms = rank_all(kb, questions, method, args.misses)
            print(f"{label}: {ms:.1f} ms per query")
        passage_questions = load_passage_questions()
        passage_ranks = {
            label: rank_passages(kb, passage_questions, method, args.misses)
            for label, method in METHODS
        }
        final_sets = {
            path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in (FINAL_SETS if args.final else ())
        }
        final_ranks = {
            name: {
                label: rank_passages(kb, questions_, method, misses=False)
                for label, method in METHODS
            }
            for name, questions_ in final_sets.items()
        }
        kb.close()
    shipped = {
        name: print_table(name, {label: r.subset(indexes) for label, r in ranks.items()})
        for name, indexes in sets.items()
    }
    whole = shipped["dev set, whole"]
    met = whole.hit5 >= TARGET_HIT5 and whole.mrr >= TARGET_MRR
    print(
        f"\nTarget for the shipped configuration on the dev set (any label): "
        f"hit@5 >= {TARGET_HIT5}, MRR >= {TARGET_MRR}: {'met' if met else 'NOT met'}"
    )
    if not passage_questions:
        return 0
    print("\n--- passage level: does a passage say what answers the question? ---")
    everyone = range(len(passage_questions))
    top1, top3, _ = print_passage_table("passage dev set, all", passage_ranks, everyone)
    heldout_part = [i for i in everyone if is_held_out(passage_questions[i])]
    tuned_part = [i for i in everyone if i not in set(heldout_part)]
    print_passage_table("passage dev set, tuned part", passage_ranks, tuned_part)
    earlier = [i for i in tuned_part if not passage_questions[i].get("tuned_only")]
    print_passage_table("  of which the earlier questions", passage_ranks, earlier)
    feelings = [i for i in tuned_part if passage_questions[i].get("tuned_only")]
    print_passage_table("  of which the round-4 feelings questions", passage_ranks, feelings)
    print_passage_table(
        "passage dev set, held-out part (30%, never tuned on)", passage_ranks, heldout_part
    )
    hard = [i for i in everyone if passage_questions[i]["kind"] in HARD_KINDS]
    print_passage_table("passage dev set, hard kinds", passage_ranks, hard)
    print_by_kind(passage_questions, passage_ranks[METHODS[-1][0]])
    for name, final_questions in final_sets.items():
        print_passage_table(
            f"{name} (written before tuning, aggregates only)",
            final_ranks[name],
            range(len(final_questions)),
        )
        print_by_kind(final_questions, final_ranks[name][METHODS[-1][0]])
    met = top3 >= TARGET_TOP3 and top1 >= TARGET_TOP1
    print(
        f"\nTarget for the shipped configuration on the passage dev set: top 3 >= "
        f"{TARGET_TOP3}, top 1 >= {TARGET_TOP1}: {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
