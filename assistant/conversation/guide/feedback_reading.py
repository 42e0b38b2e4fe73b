"""How one sentence of a mentor's feedback reads on each rubric criterion.

The practice rubric (:mod:`rubric`) judges the mentor sentence by sentence; this module says,
for one sentence, what it earns: does it name when and where (situation), describe an act
with a count, a date or the words used (behaviour), say what the act led to and for whom
(impact), ask openly, propose a step with a time, or label the person. Words the mentor
quotes from someone else ("you replied 'stop nitpicking'") are evidence of behaviour, never
the mentor's own question or judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation.guide.question_forms import (
    is_blaming_why,
    is_closed_question,
    is_leading,
    is_open_question,
    parts_of,
)
from assistant.conversation.guide.wording import tidy

DAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
MONTH = r"january|february|march|april|may|june|july|august|september|october|november|december"
NUMBER = (
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|a couple of|a few|several|both|twice|half an?"
)
_ORDINAL_DATE = r"the \d{1,2}(?:st|nd|rd|th)\b"
_QUOTE = re.compile(r"[\"“”‘’](?:[^\"“”‘’]{2,}?)[\"“”‘’]|(?<![a-z])'[^']{2,}?'(?![a-z])", re.I)
QUOTED = "QUOTED"

# --- situation ----------------------------------------------------------------------------
_PAST_TIME = re.compile(
    rf"\b(?:yesterday|last night|this (?:morning|afternoon|week|month|quarter|sprint|year)|"
    rf"today|earlier today|the other day|"
    rf"(?:on )?(?:{DAY})(?:'s)?(?! (?:deadline|cut-off|due date|due)\b)|"
    rf"last (?:week|month|quarter|sprint|year|time|night|(?:{DAY}))|the last time|"
    rf"(?:in|over|during) the (?:last|past) (?:{NUMBER}|few)?\s*\w+|"
    rf"(?:our|the|your|my) last (?:{NUMBER}) \w+|last (?:{NUMBER}) \w+|"
    rf"since (?:we|you|the|last|{MONTH}|\w+day)|in (?:{MONTH})|on {_ORDINAL_DATE}|"
    rf"{_ORDINAL_DATE}|(?:{MONTH}) \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTH})|"
    rf"at midnight|this morning|at \d{{1,2}}[:.]\d\d|last month)\b",
    re.IGNORECASE,
)
_OCCASION_NOUNS = (
    r"meeting|review|code review|stand-?up|call|session|presentation|demo|workshop|retro|"
    r"one-to-one|1:1|sync|all-hands|interview|incident|launch|launch day|release|report|"
    r"email|spreadsheet|update|planning meeting|offsite|pitch|handover|standup|lunch|deck|"
    r"planning|sprint planning|retrospective|kick-?off|training|board meeting|town hall|"
    r"huddle|check-in|budget|forecast|estimate|invoice|ticket|hotfix|spec|slides|"
    r"proposal|document|doc|brief|build|deploy|deployment|shift|sprint|sprint review"
)
_OCCASION = re.compile(
    rf"\b(?:the|that|this|your|our|my|yesterday's|today's|last week's|(?:{DAY})'s|last|"
    rf"(?:the )?last (?:{NUMBER})|(?:{NUMBER}) of (?:our|the|your) last (?:{NUMBER}))"
    rf"(?:\s+[\w-]+){{0,2}}?\s+(?:{_OCCASION_NOUNS})(?:e?s)?\b|\bon (?:the phone|launch day)\b|"
    r"\bwhen you presented\b",
    re.IGNORECASE,
)
_COUNTED_PLURAL = re.compile(rf"\blast (?:{NUMBER}) |\b(?:{NUMBER}) of ", re.IGNORECASE)
_DATED = re.compile(rf"\s+(?:on|in|at|from|during) (?:the )?(?:{DAY}|{MONTH}|\d)", re.I)
"""Plural occasions with their dates ("our sessions on Monday and Thursday")."""
_VAGUE_TIME = re.compile(
    r"\b(recently|lately|sometimes|a few times|often|these days|at times|now and then|"
    r"occasionally|every so often)\b",
    re.IGNORECASE,
)

# --- behaviour ----------------------------------------------------------------------------
_PAST_VERB = (
    r"said|sent|missed|delivered|wrote|presented|arrived|cancelled|canceled|interrupted|told|"
    r"submitted|handed|came|left|stayed|asked|skipped|replied|answered|spoke|volunteered|"
    r"agreed|took|gave|started|stopped|finished|closed|pushed|opened|had|hadn't|didn't|"
    r"did not|haven't|have not|hasn't|never|waited|dropped|handled|shared|raised|joined|"
    r"turned|went|ran|made|kept|forgot|ignored|rewrote|changed|moved|committed|promised|"
    r"reviewed|posted|called|talked|walked|showed|used|put|set|got|left|rolled|fixed|"
    r"mentioned|explained|added|removed|signed|approved|declined|accepted|booked|"
    r"interrupt|miss|cancel|skip|arrive|send|leave|speak|reply|keep|turn up|show up|"
    r"come|talk|answer|ask|say"
)
_PARTICIPLE = (
    r"taken|done|given|written|spoken|broken|chosen|forgotten|shown|brought|built|sold|won|"
    r"lost|led|held|thrown|begun|drawn|grown|hidden|overridden|rewritten"
)
"""What "you've …" did, beyond regular "-ed" verbs ("you've taken on a lot of extra work")."""
_NOT_AN_ACT = (
    r"seemed|sounded|looked|appeared|wanted|needed|liked|loved|hated|preferred|intended|"
    r"wished|hoped|expected|assumed|believed|deserved|mattered|cared|tried to seem|worried|"
    r"bored|tired|stressed|overwhelmed|annoyed|disappointed|confused|frustrated|interested|"
    r"excited|used to|supposed|allowed|asked to|expected to"
)
"""Past forms after "you" that say how someone seemed or felt, not what they did."""
_ACT = re.compile(
    rf"\b(?:i(?:'ve| have)? (?:noticed|saw|seen|heard|observed|read|watched)\b|"
    rf"(?:{_OCCASION_NOUNS})(?:e?s)? (?:got|were|was|have been|has been) (?:cancelled|canceled|"
    rf"moved|missed|skipped|postponed|delayed|late)\b|"
    rf"(?:the|your|this|that) (?:[\w-]+ )?(?:migration|project|rollout|launch|release|delivery|"
    rf"delivery|fix|feature) (?:finished|shipped|landed|went live|completed|slipped|failed|"
    rf"overran|ran over)\b|"
    rf"you(?:'ve| have| had|'d)?(?: (?:also|then|just|only|already|never|always|often|"
    rf"still|each time|both))? (?:{_PAST_VERB})\b|you were [\w-]+ed\b|"
    rf"you(?:'ve| have| had|'d)?(?: (?:also|then|just|only|already|still))? "
    rf"(?!{_NOT_AN_ACT}\b)(?:[a-z]+(?<!ee)ed|{_PARTICIPLE})\b(?!')|"
    rf"(?:{NUMBER}) (?:of (?:them|the|those|these|your)(?: [\w-]+)?|[\w-]+) "
    rf"(?:slipped|overran|broke|failed|bounced|were (?:late|reopened|rolled back)|"
    rf"went (?:out|in) late|missed)\b|"
    rf"you have (?:{NUMBER}) |"
    rf"you(?:'ve| have)? been (?:late|absent|away|offline|missing|early)\b|"
    rf"you (?:were|are|'re) (?:late|absent|away|offline|missing|early)\b|"
    rf"(?:didn't|don't|haven't|hadn't) you (?!think|agree|feel|know)\w+|"
    rf"(?:the|your|this|that|each|every) (?:[\w-]+ ){{0,2}}(?:report|code|review|email|emails|"
    rf"deck|update|updates|message|draft|spreadsheet|presentation|figures|reports|"
    rf"checklist|launch checklist|write-up|demo|analysis|numbers|pull request|pr|build|"
    rf"handover|proposal|deck|doc|document|change|commit|deploy|deployment)s?"
    rf"(?: [\w'-]+){{0,5}}? (?:was|were|arrived|came|went|ran|had|got|missed|slipped|"
    rf"have been|has been|come|"
    rf"saved|contained|showed|included|broke|caused|failed|missed|lacked)\b|"
    rf"\bit (?:went|ran|came|arrived) )",
    re.IGNORECASE,
)
_EVALUATIVE = (
    r"excellent|great|good|bad|poor|terrible|awful|harsh|sloppy|impressive|amazing|fine|"
    r"weak|strong|wonderful|brilliant|lazy|careless|unacceptable|messy|rubbish|perfect"
)
_LABEL = re.compile(
    rf"\b(?:you(?:'re| are| were| seem| sound)|are you|were you|"
    rf"your attitude|ur)\b(?! (?:\w+ed)\b)|\byou(?:'ve| have) been\b(?! (?:\w+ed|\w+ing)\b)|"
    rf"\b(?:was|were|is|are) (?:\w+ )?(?:{_EVALUATIVE})\b|"
    r"\bthat was a\b|\bdropped the ball\b|\blet (?:the team|us|me) down\b|\bdon't care\b|"
    r"\bmessed up\b|\bscrewed up\b",
    re.IGNORECASE,
)
_DETAIL = re.compile(
    rf"\b(?:{NUMBER})\b(?!-to-|-on-)|{QUOTED}|\b(?:{DAY}|{MONTH}|yesterday|last (?:night|week)|"
    rf"this morning|midnight|noon)\b|{_ORDINAL_DATE}|\b\d",
    re.IGNORECASE,
)
_EVALUATED = re.compile(rf"\s+(?:\w+ )?(?:{_EVALUATIVE})\b", re.IGNORECASE)
_IDIOM_LABEL = re.compile(
    r"\b(?:dropped the ball|let (?:the team|us|me|everyone) down|messed up|screwed up|"
    r"don't care)\b",
    re.IGNORECASE,
)
_ASKED_ACT = re.compile(
    r"\b(?:(?:didn't|don't|haven't|hadn't|wasn't) you (?!think|agree|feel|know)\w+|"
    r"why would you \w+|why did you \w+)",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^\W*(?:so |ok |okay |and |but )?(?:what|what's|how|which|where|who|why|"
    r"(?:is|are|was|were|do|does|did|can|could|would|will|should|have|has) (?:you|it|we|"
    r"there|everything|that|this)\b|tell me|help me understand|walk me through|talk me "
    r"through|i wonder|i'm wondering|i am wondering|i was wondering|i'm curious|i'd love to "
    r"hear|i'd like to hear)",
    re.IGNORECASE,
)
#: How something came across, not what was done: "your reviews come across as harsh",
#: "you sounded annoyed", "it came off as rushed". An impression is a judgement of the person
#: or the work, worded as what someone saw; the act behind it is still to be described.
_IMPRESSION = re.compile(
    r"\b(?:you|your(?: [\w'-]+){1,3}|it|this|that|they)\s+(?:\w+ly\s+)?"
    r"(?:(?:come|comes|came|coming) (?:across|off) as|(?:read|reads) as|"
    r"(?:seem|seems|seemed|sound|sounds|sounded|look|looks|looked))"
    r"(?: (?:a bit|a little|quite|really|very|so|too|kind of|kinda|pretty|rather|somewhat|"
    r"like|an?))* ([a-z-]+)",
    re.IGNORECASE,
)
#: Impressions that judge ("came across as rushed"), beside the judgement words and the
#: evaluative ones; "your emails come across as short" describes the emails instead.
_IMPRESSION_LABELS = frozenset(
    [
        "rushed",
        "unprepared",
        "disengaged",
        "uninterested",
        "bored",
        "junior",
        "cold",
        "abrupt",
        "annoyed",
        "irritated",
        "impatient",
        "angry",
        "unfriendly",
        "unprofessional",
        "condescending",
        "hostile",
        "lazy",
        "negative",
        "unhelpful",
        "uncommitted",
        "distracted",
        "careless",
    ]
)
_CLAUSE_END = re.compile(r"[,;:]\s+|\s+(?:so|which|and then|but)\s+", re.IGNORECASE)
_MODAL_BEFORE_ACT = re.compile(r"\byou (?:should|could|would|might|must|need to|will)\b", re.I)

# --- impact -------------------------------------------------------------------------------
_PARTY = (
    r"(?i:the team|team|teams|the client|clients?|customers?|users?|colleagues?|project|"
    r"the release|engineering|finance|hr|support|legal|facilities|vendor|the business|lead|"
    r"manager|people|others|everyone|panel|we|us|our|i|me|my|company|product|sales|board|"
    r"director|cfo|ceo|launch|build|deadline|schedule|work|sprint|plan|budget|timeline|"
    r"roadmap|demo|shift|deliverable|deal|contract|release date)|(?<=\s)[A-Z][a-z]+(?:'s)?"
)
_NAME = r"(?<=\s)[A-Z][a-z]+"
_CONSEQUENCE = re.compile(
    # "what you meant" is an intention, not a consequence
    r"(?i:\b(?:(?<!\byou )(?<!\bi )(?<!\bhe )(?<!\bshe )(?<!\bthey )(?<!\bwe )meant|"
    r"means|at risk|slipped|slip|broke|broken|blocked|duplicated|"
    r"(?:which|that|this|it) meant|meant that|as a result|because of (?:this|that|it)|"
    r"as a consequence|led to|leads to|caused|resulted in|ended up|"
    r"couldn't|could not|can't|cannot|were waiting|are waiting|is waiting|waited|"
    r"waiting on|lost|missed out|delayed|slowed (?:\w+ ){0,3}down|held up|"
    r"cost (?:us|the|me|him|her|them|\w+)|"
    r"left (?:us|me|the \w+|them|him|her|our \w+) (?:\w+ing|with|without|to)|"
    r"saved (?:her|him|me|us|them|the \w+)|made (?:the|him|her|them|us|me|it) \w+|"
    r"makes? (?:the \w+|our \w+|him|her|them|us|me|it) (?:look|seem|sound|appear)|"
    r"asked (?:to )?(?:my|our|the|your) (?:manager|boss|lead|director|head) (?:if|whether|"
    r"about|why)|"
    r"stopped \w+ing|started (?:avoiding|to|asking)|escalated|rolled (?:it )?back|"
    r"roll it back|postponed?|rebook|renewed|adopted|turned down|"
    r"spent (?:\w+ )?(?:minutes|hours|the hour|the day|a day|the morning|\w+ hours)|"
    r"never heard|trust (?:\w+ )*less|saw (?:the )?(?:old|wrong|out-of-date|outdated|"
    r"last week's|the error|error)|"
    r"show(?:ed|s)? (?:the |our |a )?\w+ (?:the )?(?:old|wrong|out-of-date|outdated|stale|"
    r"last (?:week|month|quarter)'s)|(?:emailed|complained|called) (?:support|us|me|about)|"
    r"so (?:the|we|our|they|he|she|i)\b|only \d+ \w+ saw|"
    r"now (?:trusts?|uses?|relies?|asks?|comes?|knows?|gets?|has|have|wants?))\b)|"
    rf"\b(?:left|made|so) {_NAME}\b"
)
_CAUSE_FIRST = re.compile(r"^(?:because|since) [^,]+, (.+)$", re.IGNORECASE)
_PARTY_RE = re.compile(rf"\b(?:{_PARTY})\b")
_PARTY_HAD_TO = re.compile(rf"\b(?:{_PARTY})\b (?:(?i:now|then|also|all) )?(?i:had|has|have) to\b")
"""Someone who had to do something because of it ("Finance had to send it back"), not a
bare "things have to change"."""
_FELT = re.compile(
    r"\b(?:it's|it is|that's|that is) (?:getting )?(?:really |quite |a bit |so )?"
    r"(?:annoying|frustrating|hard for me|worrying|stressful)\b|"
    r"\bi (?:felt|feel|was|am|'m) (?:really |quite |a bit |so )?(?:let down|annoyed|sad|"
    r"stressed|blindsided|embarrassed|caught off guard|undermined|sidelined|side-lined|"
    r"disrespected|relieved|impressed)\b|"
    r"\bi(?:'m| am| was| felt| feel| have been|'ve been)? (?:really |quite |a bit |so )?"
    r"(?:worried|concerned|hurt|uncomfortable|frustrated|disappointed|upset|anxious|"
    r"surprised|appreciated|grateful|proud|felt like|feel like|noticed it affected)\b|"
    r"\b(?:affected|impacted|had an impact|has an impact|made things harder|caused problems|"
    r"knock-on|people have started)\b",
    re.IGNORECASE,
)
_ASSERTED = re.compile(
    r"\b(?:an? (?:real |big |serious |huge |major )?(?:problem|issue|concern)|not ok|not okay|"
    r"isn't ok|isn't okay|not acceptable|"
    r"unacceptable|not sustainable|isn't sustainable|disappointing|not on|not great|"
    r"needs to stop|has to stop|must stop|can't continue|can't go on)\b",
    re.IGNORECASE,
)

# --- next step ----------------------------------------------------------------------------
_STEP_VERBS = (
    r"send|draft|write|check|double-check|book|set up|schedule|take|share|bring|add|list|"
    r"pick|choose|flag|try|walk me through|drop|hand|put|make|come|let me know|use|start|"
    r"block|plan|prepare|email|ask|call|meet|review|respond|agree|decide|look|get|accept|"
    r"present|pair|grab|move"
)
#: "How about we…", "What if, for the next two weeks, you…": a few words may come between.
_SUGGESTION = r"(?:how about|what if)(?:,? [\w']+,?){0,6}?"
_STEP = re.compile(
    rf"\b(?:let's|let us|shall we|can we|could we|{_SUGGESTION} (?:we|you)|"
    rf"why don't (?:we|you)(?! ever)|maybe you could|we'll|we will|"
    rf"we can|we could|i'll|i will|i'd like you to|i want you to|i need you to|"
    rf"i'd like us to|please|can you|could you|would you (?:be willing|mind|like to)|"
    rf"(?<!what )(?<!how )(?<!where )(?<!which )(?<!who )"
    rf"would you (?:{_STEP_VERBS}|run|lead|own|handle|organi[sz]e|help|do|pick up)\b|"
    rf"will you|next time|from now on|going forward|in future|in the future|"
    rf"next step|agree on|check in|follow up|catch up|"
    rf"what (?:will|would|could|can) you (?:do|try|change|commit|do differently)|"
    rf"what would help|would it help (?:to|if)|what's your plan|what is your plan|"
    rf"(?<!would )you need to|"
    rf"needs to stop|has to stop|must stop|need (?:it|this|that) to stop)\b|"
    # not "Look, …" or "Look Marco, …": a verb that only calls for attention
    rf"(?:^|[,:]\s*)(?:just |please |maybe |perhaps |so )?(?:{_STEP_VERBS})\b"
    rf"(?!,)(?!\s+(?-i:[A-Z][a-z]+),)",
    re.IGNORECASE,
)
_CONFIRMATION = re.compile(
    r"^(?:ok|okay|fine|great|sure|deal|right|perfect|good|alright|agreed)\b[^?]{0,40}"
    r"\b(?:then|it is|works|it's a deal|see you)[.!]?$",
    re.IGNORECASE,
)
_INFO_REQUEST = re.compile(
    r"\b(?:can|could|would|will) you (?:please )?(?:tell me|walk me through|explain|describe|"
    r"share what|help me understand)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"\byou (?:said|told|promised|agreed|committed)\b", re.IGNORECASE)
STEP_TIME = re.compile(
    rf"\b(?:by (?:(?:the )?end of (?:the |this |next )?\w+|{DAY}|tomorrow|tonight|noon|"
    rf"midday|\d|the \d|next \w+|then)|tomorrow|tonight|this (?:morning|afternoon|evening|"
    rf"week|sprint|month|friday)|next (?:week|month|sprint|quarter|{DAY}|session|"
    rf"one-to-one|meeting)|(?:on )?(?:{DAY})s?|in (?:a|an|one|two|three|four|five|six|\d+|"
    rf"a couple of|a few) (?:days?|weeks?|months?|hours?)|(?:over|for) the next (?:\w+ )?"
    rf"(?:days?|weeks?|months?|sprints?)|within (?:a|an|one|two|\d+|the) \w+|"
    rf"at \d{{1,2}}(?::\d\d)?|\d{{1,2}}(?::\d\d)?\s?(?:am|pm)|noon|midday|"
    rf"end of (?:the )?(?:day|week|month|sprint|quarter)|every (?:other )?\w+|"
    rf"the day before|starting (?:{DAY}|tomorrow|next|this|with this)|{_ORDINAL_DATE}|"
    rf"(?:{MONTH}) \d{{1,2}}|in (?:{MONTH})|before (?:the|our|your) (?:next )?\w+ "
    rf"(?:on|next)|before our session next \w+)\b",
    re.IGNORECASE,
)
_VAGUE_STEP = re.compile(
    r"\b(?:(?:do|be|get|work|manage [\w ]{0,15}?) better|be more \w+|more often|"
    r"be (?:nicer|kinder|friendlier|more careful|careful|professional)|"
    r"try harder|improve|step up|on time|needs to stop|has to stop|must stop|be more|"
    r"need (?:it|this|that) to stop|"
    r"(?:take|show) more \w+|more (?:ownership|initiative|effort|care|responsibility)|"
    r"take ownership|be proactive|pull your weight|sort [\w ]{0,20}out|get your act together|"
    r"pull your socks up|shape up|tighten (?:\w+ )?up)\b|"
    r"\b(?:do|doing) better\b",
    re.IGNORECASE,
)

# --- judgement ----------------------------------------------------------------------------
STRONG_JUDGEMENT = (
    "lazy",
    "careless",
    "sloppy",
    "unprofessional",
    "unreliable",
    "incompetent",
    "useless",
    "hopeless",
    "terrible",
    "awful",
    "pathetic",
    "irresponsible",
    "immature",
    "selfish",
    "rude",
    "arrogant",
    "stupid",
    "ridiculous",
    "flaky",
    "harsh",
    "touchy",
    "bad attitude",
    "attitude problem",
    "your attitude",
    "not good enough",
    "too sensitive",
    "excuses",
    "whining",
    "don't care",
    "not committed",
    "dropped the ball",
    "disrespectful",
    "defensive",
    "too quiet",
    "annoying",
    "disorganised",
    "disorganized",
    "entitled",
    "childish",
    "clueless",
    "bossy",
    "pushy",
    "negative",
    "aggressive",
    "passive-aggressive",
    "not a team player",
    "pulling your weight",
    "poor attitude",
    "dismissive",
    "condescending",
    "patronising",
    "patronizing",
    "abrasive",
    "curt",
)
_NOT_A_LABEL = frozenset(
    [
        "able",
        "going",
        "doing",
        "right",
        "welcome",
        "new",
        "here",
        "there",
        "ready",
        "late",
        "on",
        "in",
        "at",
        "not",
        "the",
        "a",
        "an",
        "one",
        "still",
        "also",
        "probably",
        "now",
        "back",
        "free",
        "available",
        "sure",
        "aware",
        "responsible",
        "already",
        "part",
        "ok",
        "okay",
        "fine",
        "good",
        "great",
        "natural",
        "star",
        "brilliant",
        "amazing",
        "excellent",
        "talented",
        "smart",
        "strong",
        "fantastic",
        "asset",
        "allowed",
        "expected",
        "supposed",
        "due",
        "away",
        "absent",
        "early",
        "missing",
        "with",
        "my",
        "our",
        "clearly",
        "obviously",
        "capable",
        "about",
        "to",
        "from",
        "out",
        "off",
        "busy",
        "tired",
        "stretched",
        "like",
        "just",
        "more",
        "less",
        "really",
        "quite",
        "very",
        "so",
        "too",
        "being",
        "getting",
        "always",
        "never",
        "often",
    ]
)
_PERSON_LABEL = re.compile(
    r"\byou(?:'re| are| seem| seemed| come across as| came across as| can be| tend to be|"
    r" sound| were being| are being|'re being)"
    r"(?: (?:so|too|really|very|a bit|quite|kind of|kinda|pretty|being|such an?|an?|way too|"
    r"a little|just|often|always|sometimes|getting|not|never|clearly|obviously))* "
    r"([a-z-]+)\b",
    re.IGNORECASE,
)
MILD_JUDGEMENT = (
    "always",
    "never",
    "ever",
    "obviously",
    "should have",
    "disappointing",
    "disappointed",
)
_ABOUT_YOU = re.compile(r"\b(?:you|your|you're|you've|you'd)\b", re.IGNORECASE)
_LABEL_WITH_TOO = re.compile(
    r"\byou(?:'re| are|'ve been| have been| were) (?:so|too|really|very|way too|kinda|"
    r"a bit|a little|being)\b(?! thin)",
    re.IGNORECASE,
)


#: A mentor defending themselves instead of hearing the mentee: pulling rank, waving the
#: reaction away, calling the feedback mere honesty. Each counts as a strong judgement.
_DISMISSIVE = re.compile(
    r"\b(?:don't|do not) take (?:it|this|that) personally|"
    r"(?:i(?:'ve| have) been (?:\w+ing|doing this|in this job) (?:\w+ ){0,3}for (?:\w+ ){0,2}"
    r"years,? (?:(?:and |so )?i know what i'm talking about)?|i know what i'm talking about)|"
    r"any ?(?:one|body) (?:else )?would(?:'ve| have)? (?:said|say|done|do) the same|"
    r"i'm (?:just |only )?being (?:honest|straight|real)|i'm (?:just |only )?saying|"
    r"(?:you're|you are) (?:over-?reacting|being (?:over-?)?sensitive|too sensitive)|"
    r"(?:it's|it is) not (?:a|that) big (?:a )?deal|calm down|get over it|no offen[cs]e|"
    r"(?:don't|do not) be (?:so )?(?:sensitive|dramatic|defensive)",
    re.IGNORECASE,
)


def dismissive_phrases(text: str) -> list[str]:
    """The phrases of ``text`` that wave the mentee's reaction away ("don't take it
    personally", "I'm just being honest")."""
    return [match[0] for match in _DISMISSIVE.finditer(text)]


@dataclass(frozen=True)
class SentenceReading:
    """What one sentence earns on each criterion (1 = nothing, 4 = done well)."""

    sentence: str
    situation: int
    behaviour: int
    impact: int
    open_questions: int
    closed_question: bool
    next_step: int
    judgement: tuple[str, ...]
    dismissive: tuple[str, ...] = ()


def unquoted(sentence: str) -> str:
    """The sentence with the words it quotes replaced by a marker."""
    return _QUOTE.sub(QUOTED, sentence)


def read_sentence(sentence: str) -> SentenceReading:
    text = re.sub(r"\b1:1(s?)\b", r"one-to-one\1", tidy(unquoted(sentence)))
    step = next_step_score(text)
    # A step is about the future: what happened is read from the parts that propose nothing
    # ("On Tuesday the report was late; could you send a draft by Monday?").
    observed = text if step == 1 else _without_steps(text)
    return SentenceReading(
        sentence=sentence,
        situation=situation_score(observed) if observed else 1,
        behaviour=behaviour_score(observed) if observed else 1,
        impact=impact_score(text),
        open_questions=_open_count(text),
        closed_question=_asks_closed(text),
        next_step=step,
        judgement=tuple(judgement_words(text)),
        dismissive=tuple(dismissive_phrases(text)),
    )


def _without_steps(text: str) -> str:
    """The parts of a sentence (split at semicolons and dashes) that propose no step."""
    parts = (part for part in re.split(r"\s*;\s*|\s+[—–-]\s+", text) if part.strip())
    return "; ".join(part for part in parts if next_step_score(part) == 1)


def situation_score(text: str) -> int:
    """When and where the behaviour happened: read in the part of the sentence before any
    consequence ("…, so the release waited" names no situation), a deadline ("by the 30th")
    is no time, and a plural ("in meetings") is no occasion unless counted ("the last
    three meetings")."""
    consequence = _CONSEQUENCE.search(text)
    scene = text[: consequence.start()] if consequence else text
    when = any(
        not scene[: match.start()].rstrip().lower().endswith("by")
        for match in _PAST_TIME.finditer(scene)
    )
    times = [match.span() for match in _PAST_TIME.finditer(scene)]
    where = any(
        _COUNTED_PLURAL.search(match[0])
        or (
            # "this sprint" is a time; it does not name the occasion as well
            not any(start <= match.start() and match.end() <= end for start, end in times)
            and (not match[0].lower().endswith("s") or (when and _DATED.match(scene, match.end())))
        )
        for match in _OCCASION.finditer(scene)
    )
    if when and where:
        return 4
    if when or where:
        return 3
    return 2 if _VAGUE_TIME.search(text) else 1


def behaviour_score(text: str) -> int:
    """A step or a question describes no behaviour, except "why didn't you…"-style ones;
    a label ("you're too quiet", "dropped the ball") scores 2 even beside a verb."""
    if _IDIOM_LABEL.search(text):
        return 2
    if _is_question(text):
        if _ASKED_ACT.search(text):
            return 3
        return 2 if _strong(text) else 1
    impression = _IMPRESSION.search(text)
    if impression and _judges(impression[1]):
        # only an act described before the impression counts ("you sent it at 9, and it
        # came across as rushed"); the impression itself labels
        before = text[: impression.start()]
        return max(2, behaviour_score(before)) if before.strip() else 2
    act = _ACT.search(text)
    if act and _EVALUATED.match(text, act.end()):
        return 2
    if act and not _MODAL_BEFORE_ACT.search(text[: act.end()]):
        end = _CLAUSE_END.search(text, act.end())
        up_to_act = text[: end.start()] if end else text
        return 4 if _DETAIL.search(up_to_act) else 3
    return 2 if _LABEL.search(text) or _strong(text) else 1


def _judges(word: str) -> bool:
    """Whether the word an impression ends on judges the person or the work."""
    lowered = word.lower()
    return (
        lowered in _IMPRESSION_LABELS
        or lowered in STRONG_JUDGEMENT
        or re.fullmatch(_EVALUATIVE, lowered) is not None
    )


def _strong(text: str) -> bool:
    return any(word not in MILD_JUDGEMENT for word in judgement_words(text))


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or _QUESTION_START.match(text) is not None


#: "Why can't you…", "Couldn't you…": a demand put as a question, not a consequence.
_DEMAND = re.compile(r"\b(?:can't|cannot|can not|couldn't|could not) you\b", re.IGNORECASE)


def impact_score(text: str) -> int:
    text = _DEMAND.sub("", text)
    cause_first = _CAUSE_FIRST.match(text)
    consequence = (
        _CONSEQUENCE.search(text)
        or _PARTY_HAD_TO.search(text)
        or (cause_first and _PARTY_RE.search(cause_first[1]))
    )
    if consequence:
        return 4 if _PARTY_RE.search(text) else 3
    if _FELT.search(text):
        return 3
    return 2 if _ASSERTED.search(text) else 1


#: A move in this conversation, not a step after it: "can we talk about…", "let's look at…",
#: "before we talk about next steps".
_TALK_MOVE = re.compile(
    r"\b(?:let's|let us|can we|could we|shall we|before we|then we can|we can|we could|"
    r"i'd like (?:us )?to|i want (?:us )?to|why don't we)\s+(?:\w+\s+)?(?:talk|discuss|"
    r"look at|go over|go through|unpack|dig into|think about|chat about|come back to|get to|"
    r"start with|focus on)\b[^,;?!.]*",
    re.IGNORECASE,
)
#: The part of a sentence about what already happened: a time in it dates the past, not a
#: step ("what happened on the 14th", "talk about the 14th").
_PAST_EVENT = re.compile(
    r"\b(?:happened|went|occurred|came up|was said)\b[^,;?!.]*|"
    r"\babout (?:the|last|what|that|this|your|our)\b[^,;?!.]*",
    re.IGNORECASE,
)


def next_step_score(text: str) -> int:
    """4 a step with a time, 3 a concrete step, 2 a wish, 1 none. A short confirmation
    ("Okay, Wednesday at 9 then.") settles a step too. Talking about something now ("can we
    talk about what happened on the 14th?") is no step unless it is set for later ("let's
    talk again next Thursday")."""
    if _CONFIRMATION.match(text):
        return 4 if STEP_TIME.search(text) else 3
    if _TALK_MOVE.search(text) and not STEP_TIME.search(_PAST_EVENT.sub(" ", text)):
        text = _TALK_MOVE.sub(" ", text)
    if not _STEP.search(text) or _INFO_REQUEST.search(text) or _REPORTED.search(text):
        return 1
    if STEP_TIME.search(_PAST_EVENT.sub(" ", text)):
        return 4
    return 2 if _VAGUE_STEP.search(text) else 3


def judgement_words(text: str) -> list[str]:
    """The judgement words in ``text`` (quoted words excluded by the caller); "always" and
    "never" count only when they are about the person ("you never…")."""
    lowered = text.lower()
    found = [w for w in STRONG_JUDGEMENT if re.search(rf"\b{re.escape(w)}\b", lowered)]
    label = _PERSON_LABEL.search(text)
    if label and not found and _is_label(label[1]):
        found.append(label[1].lower())
    elif _LABEL_WITH_TOO.search(text) and not found:
        found.append(_LABEL_WITH_TOO.search(text)[0].lower())  # type: ignore[index]
    impression = _IMPRESSION.search(text)
    if impression and not found and impression[1].lower() in _IMPRESSION_LABELS:
        found.append(impression[1].lower())  # "your demo seemed rushed"; not "looked great"
    if _ABOUT_YOU.search(text) or not re.search(r"\b(always|never|ever)\b", lowered):
        found += [w for w in MILD_JUDGEMENT if re.search(rf"\b{re.escape(w)}\b", lowered)]
    sarcasm = _SARCASM.search(text)
    if sarcasm:
        found.append(sarcasm[1].lower())  # "Great job missing another deadline"
    return found


#: Praise for a failure, said in sarcasm: "Great job missing another deadline", "well done
#: forgetting the client again", "nice work breaking the build".
_SARCASM = re.compile(
    r"\b((?:great|nice|good|brilliant|stellar|fantastic|amazing|lovely|excellent|super|"
    r"awesome|top) (?:job|work|going|effort|stuff)|well done|way to go|bravo)\b,?\s+"
    r"(?:on\s+|with\s+)?(?:\w+\s+)?(?:missing|forgetting|breaking|ignoring|dropping|losing|"
    r"skipping|being late|blowing|messing|screwing|botching|derailing)\b",
    re.IGNORECASE,
)


def _is_label(word: str) -> bool:
    """A word after "you are" that labels the person: not a neutral word, a verb in -ing
    ("you're spreading…") or a past participle of an act ("you were double-booked")."""
    lowered = word.lower()
    return lowered not in _NOT_A_LABEL and not lowered.endswith("ing")


def _open_count(text: str) -> int:
    """Open questions asked: parts that end with "?" or open the sentence as a question
    ("what are you leaning towards"), not a "which…" clause inside a statement."""
    parts = parts_of(text)
    asked = [p for i, p in enumerate(parts) if p.rstrip().endswith("?") or i == 0]
    return sum(
        1
        for part in asked
        if is_open_question(part) and not _proposal(part) and _QUESTION_START.match(part)
    )


#: An auxiliary that opens a question puts its subject next ("don't you think…"); without
#: one it opens an instruction ("Don't take it personally.").
_ASKED_SUBJECT = re.compile(
    r"^\W*(?:so |ok |okay |and |but )?(?:\w+(?:n't)?\s+(?:i|you|we|he|she|they|it|there|this|"
    r"that)\b|i(?:'m| am| was|'d| would)? (?:wondering|wonder|curious)\b)",
    re.IGNORECASE,
)


def _asks_closed(text: str) -> bool:
    parts = parts_of(text)
    put = [p for p in parts if p.rstrip().endswith("?") or _ASKED_SUBJECT.match(p)]
    asks = [p for p in parts if p.rstrip().endswith("?") or is_blaming_why(p)]
    asks += [p for p in put if is_leading(p) and p not in asks]
    indirect = any(is_closed_question(p) for p in put)
    return (
        indirect
        or any(not is_open_question(p) or _proposal(p) for p in asks)
        or (text.rstrip().endswith("?") and not _open_count(text))
    )


def _proposal(part: str) -> bool:
    """ "How about we…", "What if we…", "Why don't we…": a suggestion to accept or decline,
    not an open question."""
    return bool(
        re.match(
            rf"^\W*(?:so |ok |okay )?(?:{_SUGGESTION}|why don't) (?:we|you|i)\b(?! ever)",
            part,
            re.IGNORECASE,
        )
    )
