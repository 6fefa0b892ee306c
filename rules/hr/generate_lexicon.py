"""Generate rules/hr/verbs.txt for sopkit: Croatian verbs and the forms a step judge needs.

Source: the Croatian hunspell dictionary (hr_HR.dic / hr_HR.aff, (C) 2003 Denis Lackovic,
2014-2017 Kruno, 2016-2017 Mirko Kos; LGPL or SISSL; shipped by LibreOffice and Debian's
hunspell-hr package). Every infinitive (-ti, -ći) is expanded by its suffix rules; the
conjugation tables list the present (1sg -m, 2sg -š, 3sg, 1pl, 2pl, 3pl), the imperative
(2sg, 1pl -mo, 2pl -te) and the active l-participle (-o, -la, -lo, -li, -le) in that order,
which is how the forms are tagged. The passive participle is the dictionary's adjective
derived from the infinitive (provjeriti -> provjeren, poslati -> poslan, očistiti -> očišćen).

Verbs are kept when a form is attested in Croatian/Serbo-Croatian text (wordfreq `sh` Zipf
>= MIN_ZIPF, default 1.0).

Output, one verb per line, `/` between variants, `-` when absent:
  infinitive present-3sg/3pl imperative-2sg/2pl l-participle(masc/fem...) passive-participle
  ambiguous (the present and imperative forms that are also forms of a noun or adjective:
  "računa", "ponude", "noći")

Run: `python generate_lexicon.py [MIN_ZIPF]` in this folder (needs `apt-get install hunspell-hr`
and `pip install wordfreq`).
"""
import os, re, sys
from wordfreq import zipf_frequency

AFF, DIC = '/usr/share/hunspell/hr_HR.aff', '/usr/share/hunspell/hr_HR.dic'
MIN_ZIPF = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
HERE = os.path.dirname(os.path.abspath(__file__))

aliases, sfx = [], {}
with open(AFF, encoding='utf-8') as f:
    for line in f:
        p = line.split('#')[0].split()
        if len(p) >= 2 and p[0] == 'AF' and not p[1].isdigit():
            aliases.append(p[1])
        elif len(p) >= 4 and p[0] == 'SFX' and p[2] not in ('Y', 'N'):
            strip = '' if p[2] == '0' else p[2]
            add = p[3].split('/')[0]
            add = '' if add == '0' else add
            cond = p[4] if len(p) > 4 else '.'
            sfx.setdefault(p[1], []).append((strip, add, cond))


def flags(s):
    if s.isdigit():
        s = aliases[int(s) - 1]
    return [s[i:i + 2] for i in range(0, len(s), 2)]


def expand(word, rules):
    out = []
    for strip, add, cond in rules:
        if cond != '.' and not re.search('(' + cond + ')$', word):
            continue
        if strip and not word.endswith(strip):
            continue
        out.append(word[:len(word) - len(strip)] + add)
    return out


words, verbs, others = set(), {}, {}
with open(DIC, encoding='utf-8') as f:
    next(f)
    for line in f:
        word, _, fl = line.strip().partition('/')
        words.add(word)
        if re.fullmatch(r'[a-zčćđšž]+(ti|ći)', word) and fl:
            verbs[word] = flags(fl)
        elif re.fullmatch(r'[a-zčćđšž]+', word.lower()):
            others[word.lower()] = flags(fl) if fl else []

# Every form of the other words (nouns, adjectives, adverbs): a verb form spelled like one
# ("računa": of the bill / counts, "ponude": offers / offer) is ambiguous.
nominal = set(others)
for word, fl in others.items():
    for flag in fl:
        nominal.update(expand(word, sfx.get(flag, [])))

IOT = [('st', 'šć'), ('st', 'št'), ('zd', 'žđ'), ('t', 'ć'), ('d', 'đ'), ('s', 'š'), ('z', 'ž'), ('l', 'lj'),
       ('n', 'nj'), ('p', 'plj'), ('b', 'blj'), ('m', 'mlj'), ('v', 'vlj'), ('r', 'r'), ('j', 'j'),
       ('k', 'č'), ('g', 'ž'), ('h', 'š'), ('c', 'c'), ('č', 'č'), ('ć', 'ć'), ('š', 'š'), ('ž', 'ž')]


def passive(inf):
    cands = []
    if inf.endswith('ati'):
        cands.append(inf[:-3] + 'an')
    if inf.endswith('iti') or inf.endswith('jeti') or inf.endswith('eti'):
        stem = inf[:-4] if inf.endswith('jeti') else inf[:-3]
        cands.append(stem + 'en')
        cands.append(stem + 'jen')
        for a, b in IOT:
            if stem.endswith(a):
                cands.append(stem[:-len(a)] + b + 'en')
    if inf.endswith('uti') or inf.endswith('eti') or inf.endswith('ti'):
        cands.append(inf[:-2] + 't')
    return [c for c in dict.fromkeys(cands) if c in words]


rows = []
for inf, fl in sorted(verbs.items()):
    pres, imp, lpart = [], [], []
    for flag in fl:
        rules = sfx.get(flag, [])
        forms = expand(inf, rules)
        adds = [r[1] for r in rules if not (r[0] and not inf.endswith(r[0]))]
        if len(forms) != len(adds):
            continue
        for i, a in enumerate(adds):
            if a.endswith('m') and i + 5 < len(adds) and adds[i + 1].endswith('š'):
                pres += [forms[i + 2], forms[i + 5]]
            if (a.endswith('ite') or a.endswith('jte')) and i >= 2 and adds[i - 1].endswith('mo'):
                imp += [forms[i - 2], forms[i]]
            if a.endswith('o') and i + 4 < len(adds) and [x[-2:] for x in adds[i + 1:i + 5]] == ['la', 'lo', 'li', 'le']:
                lpart += forms[i:i + 5]
    if not (pres or imp or lpart):
        continue
    pas = passive(inf)
    allforms = [inf] + pres + imp + lpart + pas
    if max(zipf_frequency(w, 'sh') for w in allforms) < MIN_ZIPF:
        continue
    col = lambda xs: '/'.join(dict.fromkeys(xs)) or '-'
    amb = [f for f in dict.fromkeys(pres + imp) if f in nominal]
    rows.append(f'{inf} {col(pres)} {col(imp)} {col(lpart)} {col(pas)} {col(amb)}')

with open(os.path.join(HERE, 'verbs.txt'), 'w', encoding='utf-8') as f:
    f.write('# Generated by generate_lexicon.py from the hunspell-hr dictionary (LGPL/SISSL); see README.md.\n')
    f.write('# infinitive present-3sg/3pl imperative-2sg/2pl l-participles passive-participle present-and-imperative-forms-that-are-also-nouns\n')
    f.write('\n'.join(rows) + '\n')
print(len(rows), 'verbs')
