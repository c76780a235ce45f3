"""What a sentence does to an entity: cue-word groups and the entity's grammatical place.

Two kinds of features for the role model (``roles.py``), both pure functions:

* cue groups: small word lists, written for this project, that stand for what
  the fine roles are about (harm suffered, deceit, corruption, repression,
  violence, failure, plotting, provocation, hostility, betrayal, protection,
  peace-making, resistance, virtue, neglect, bigotry). A sentence's words are
  mapped to their groups, so "lied", "propaganda" and "fabricated" are one
  signal to a model trained on a few hundred mentions;
* grammar, from the spaCy parse: the relation of the mention to the word that
  governs it (subject of "lied", object of "protect", "by" agent of a passive
  "was shelled", possessor of "regime"), that word's lemma and cue group, the
  object or complement of a verb the entity is the subject of ("X is a
  traitor"), negation, and the words that modify the mention ("corrupt").

Feature strings are ``"<group>|<feature>"``; the role model normalises each group on its own.
"""
from __future__ import annotations

from typing import Any

_CUES = {
    "harm": "kill killed killing die died death deaths dead wound wounded injure injured suffer suffered suffering "
            "victim victims civilian civilians starve starving hunger homeless displace displaced refugee refugees "
            "destroyed shelled bombed massacre massacred torture tortured abduct abducted deport deported rape raped "
            "orphan orphans hostage hostages casualties evacuate evacuated flee fled",
    "deceit": "lie lied lies liar liars lying deceive deceived deceit deception propaganda misinformation disinformation "
              "fake false falsely fabricate fabricated mislead misleading misled hoax distort distorted manipulate "
              "manipulated manipulation cover-up censor censored censorship hide hid conceal concealed",
    "corruption": "corrupt corruption bribe bribes bribery embezzle embezzled embezzlement launder laundering fraud "
                  "steal stole stolen theft profit profits profiteering greed greedy enrich enriched kickback kickbacks "
                  "oligarch oligarchs scam scheme",
    "repression": "dictator dictatorship regime authoritarian oppress oppressed oppression repress repression crackdown "
                  "tyrant tyranny jail jailed imprison imprisoned persecute persecuted persecution suppress suppressed "
                  "silence silenced ban banned arrest arrested purge",
    "violence": "terror terrorist terrorists terrorism bombing attack attacked attacks strike strikes shelling atrocity "
                "atrocities nazi nazis neo-nazi neo-nazis fascist fascists extremist extremists militant militants "
                "genocide war-crimes",
    "failure": "fail failed failure failing incompetent incompetence blunder blunders mistake mistakes disaster "
               "disastrous chaos chaotic mismanage mismanaged inept weak weakness stupid foolish clueless absurd "
               "ridiculous",
    "plotting": "plot plots plotting agenda elite elites globalist globalists secret secretly cabal depopulation "
                "conspiracy conspire conspired orchestrate orchestrated puppet puppets puppeteer behind davos "
                "control controlled",
    "provocation": "provoke provoked provoking provocation provocations escalate escalated escalation instigate "
                   "instigated incite incited fuel fueled fuelled expansion aggression aggressor aggressive invade "
                   "invaded invasion warmonger warmongers",
    "hostility": "enemy enemies hostile adversary adversaries foreign interference interfere threat threaten threatened "
                 "threatening sanction sanctions spy spies espionage sabotage sabotaged saboteur undermine undermined "
                 "meddling",
    "betrayal": "betray betrayed betrayal traitor traitors treason sold surrender surrendered abandon abandoned",
    "protection": "protect protected protecting protection defend defended defending defence defense save saved "
                  "rescue rescued help helped support supported aid shield secure guarantee liberate liberated",
    "peace": "peace peaceful negotiate negotiated negotiation negotiations talks ceasefire truce diplomacy diplomatic "
             "mediate mediation mediator dialogue compromise",
    "resistance": "protest protests protester protesters protestors resist resisted resistance defy defied dissident "
                  "dissidents activist activists rebel rebels oppose opposed opposition challenge challenged expose "
                  "exposed whistleblower courage courageous brave bravely",
    "virtue": "hero heroes heroic honest honesty integrity noble respected praised praise wise brilliant dedicated "
              "admirable champion selfless",
    "neglect": "ignore ignored forgotten neglect neglected overlooked exploited exploit exploitation pawn pawns "
               "scapegoat scapegoated unfairly",
    "bigotry": "racist racism bigot bigotry hate hatred discriminate discrimination xenophobic xenophobia russophobic "
               "russophobia antisemitic",
}
CUE_GROUPS: dict[str, str] = {w: g for g, ws in _CUES.items() for w in ws.split()}
SPEECH = frozenset("say said says tell told claim claimed state stated warn warned argue argued insist insisted "
                   "announce announced write wrote accuse accused".split())
_THROUGH = ("compound", "flat", "appos", "conj", "nmod")
_OBJECTS = ("dobj", "attr", "acomp", "oprd", "xcomp", "ccomp")
_MODIFIERS = ("amod", "appos", "compound", "acl", "relcl")


def cue_features(words: list[str]) -> list[str]:
    """``cue|<group>`` for each word of ``words`` that belongs to a cue group."""
    return [f"cue|{CUE_GROUPS[w]}" for w in words if w in CUE_GROUPS]


def _group_of(tok: Any) -> str | None:
    return CUE_GROUPS.get(tok.lemma_.lower()) or CUE_GROUPS.get(tok.lower_)


def governor(tok: Any) -> tuple[str, Any, Any]:
    """``(relation, governing token, the mention's head)`` of a noun token.

    Compounds, appositions and conjuncts are climbed to the noun phrase's head; the
    object of a preposition is related to the preposition's head as ``p_<prep>``,
    the "by" phrase of a passive as ``agent``.
    """
    t = tok
    for _ in range(6):
        if t.dep_ in _THROUGH and t.head is not t:
            t = t.head
            continue
        break
    if t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent"):
        prep, g = t.head, t.head.head
        passive = any(c.dep_ == "auxpass" for c in g.children)
        rel = "agent" if prep.dep_ == "agent" or (prep.lower_ == "by" and passive) else f"p_{prep.lower_}"
        return rel, g, t
    return t.dep_, t.head, t


def dependency_features(doc: Any, start: int, end: int) -> list[str]:
    """``dep|...`` features of the mention at ``[start, end)`` of the parsed ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    rel, g, head = governor(span.root)
    out = [f"dep|d:{rel}"]
    if g.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and g.i != head.i:
        lemma = g.lemma_.lower()
        out += [f"dep|g:{lemma}", f"dep|g:{rel}:{lemma}"]
        grp = _group_of(g)
        if grp:
            out += [f"dep|gl:{grp}", f"dep|gl:{rel}:{grp}"]
        if any(c.dep_ == "neg" for c in g.children):
            out.append(f"dep|neg:{rel}")
        if lemma in SPEECH and rel == "nsubj":
            out.append("dep|speaker")
        if rel in ("nsubj", "nsubjpass", "agent"):
            for c in g.children:
                if c.dep_ in _OBJECTS and c.i != head.i:
                    out.append(f"dep|o:{rel}:{c.lemma_.lower()}")
                    grp = _group_of(c)
                    if grp:
                        out.append(f"dep|ol:{rel}:{grp}")
    for c in head.children:
        if c.dep_ in _MODIFIERS and not (start <= c.idx < end):
            out.append(f"dep|mod:{c.lemma_.lower()}")
            grp = _group_of(c)
            if grp:
                out.append(f"dep|ml:{grp}")
    return out
