"""Generate rules/en/verbs.txt and rules/en/noun_verbs.txt for sopkit.

Source: lemminflect's inflection lookup table (derived from the SPECIALIST lexicon)
for forms, wordfreq for ranking; a curated list adds procedural/IT/lab/finance verbs.
"""
import gzip, re, sys
from wordfreq import zipf_frequency
import lemminflect

RES = lemminflect.__path__[0] + '/resources/'
verbs, nouns = {}, set()
with gzip.open(RES + 'infl_lu.csv.gz', 'rt') as f:
    for line in f:
        p = line.rstrip('\n').split(',')
        if p[1] == 'verb':
            verbs[p[0]] = p[2:]
        elif p[1] == 'noun':
            nouns.add(p[0])

# Modals/auxiliaries are closed-class words handled in code, never lexicon verbs.
EXCLUDE = {'can', 'will', 'may', 'must', 'shall', 'might', 'ought', 'should', 'would', 'could',
           'wo', 'ca', 'gon', 'wan', 'ai', 'thou', 'the', 'i', 'o', 'x'}
CURATED = """
accept access acknowledge activate add adjust administer advise aggregate alert aliquot allocate
amend amortise amortize analyse analyze annotate anonymise anonymize answer apologise apologize append
apply approve archive arrange ask assess assign attach audit authenticate authorise authorize autoclave
automate back backup balance bill block book brief browse calculate calibrate call cancel capture
centrifuge certify change charge chat check clarify classify clean clear click close collect comment
communicate compare compile complete comply compress compute configure confirm connect consult contact
contain copy correct count cover create credit debit debrief decant decommission decrypt deduct
deduplicate defer delete deliver deploy deposit describe destroy detach determine diagnose dial dilute
disable discard disconnect dispatch dispose document download drain draft dry edit elute email
empty enable encrypt end enroll enrol ensure enter escalate estimate evaluate examine exclude execute
export extract fail fax file fill filter finalise finalize fix flag flush follow format forward freeze
greet handle hold identify import inform initialise initialize initiate inspect install instruct
investigate invoice isolate issue itemise itemize label launch lock log login logout lyse mark match
measure merge migrate mirror mix monitor mount mute navigate note notify obtain offboard onboard open
order pack page patch pause pay pellet pipette ping place plot poll post prepare press print prioritise
prioritize process provision purge query queue quarantine quote raise reassign reboot recalibrate
receive recheck reconcile record recover redact redeploy redirect refer refresh refund register reimburse
reindex reject release remit remove rename reopen repeat replace reply report request rerun reschedule
reset resolve restart restore resubmit resuspend retain retest retrieve retry return review revoke rinse
roll rotate route run sanitise sanitize save scan schedule screenshot seal search select send set
settle share shred sign snapshot sonicate sort spin stain sterilise sterilize stir stop store submit
subscribe summarise summarize suspend swab switch sync tag test thank thaw timestamp titrate track
transfer transcribe translate triage troubleshoot type unassign unblock uninstall unlock unmount
unsubscribe update upgrade upload validate verify vortex wait weigh whitelist allowlist denylist
blocklist wipe withdraw write zip
incubate inoculate aspirate homogenise homogenize reconstitute denature amplify quantify normalise
normalize lyophilise lyophilize streak decontaminate disinfect autoclave sterilise
reconfigure redeploy deprovision reindex respawn cordon uncordon reinstall reimage reenable silence
throttle truncate vacuum snooze acknowledge
depreciate capitalise capitalize reclassify disburse offset net expense prorate accrue reissue
reassure empathise empathize paraphrase deescalate rephrase reconnect resend reattach recount reweigh
""".split()

HERE = __import__('os').path.dirname(__import__('os').path.abspath(__file__))
MIN_ZIPF = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
selected = {}
for lemma, forms in verbs.items():
    if not re.fullmatch(r'[a-z]+', lemma) or lemma in EXCLUDE:
        continue
    if zipf_frequency(lemma, 'en') >= MIN_ZIPF:
        selected[lemma] = forms
for lemma in CURATED:
    selected[lemma] = None
# 'be' is irregular beyond this format; keep its imperative usable ("Be careful").
selected['have'] = selected['do'] = None


def forms(lemma):
    # The public API applies lemminflect's override table (the raw table has e.g. run/ran/ran).
    infl = lemminflect.getAllInflections(lemma, upos='VERB') or \
        lemminflect.getAllInflectionsOOV(lemma, upos='VERB')
    # Keep plain alphabetic variants only ("reset", not "re-set").
    j = lambda tag: '/'.join(dict.fromkeys(v for v in infl.get(tag, ()) if re.fullmatch('[a-z]+', v)))
    return [j('VBD'), j('VBN') or j('VBD'), j('VBG'), j('VBZ')]


for lemma in selected:
    selected[lemma] = forms(lemma)
selected['be'] = ['was/were', 'been', 'being', 'is']
# Common variants the table lacks (British "got", "proven").
selected['get'][1] = 'got/gotten'
selected['prove'][1] = 'proved/proven'

lines = []
for lemma in sorted(selected):
    past, pp, ger, third = selected[lemma]
    pp = pp or past
    if not all(re.fullmatch(r"[a-z]+(/[a-z]+)*", x) for x in (past, pp, ger, third)):
        continue
    lines.append(f'{lemma} {past} {pp} {third} {ger}')

# Words that are also common nouns: the base form (and plural/3rd person) can start a
# noun phrase ("Log files are rotated", "Records are kept").
EXTRA_NOUNS = {'log', 'backup', 'email', 'login', 'logout', 'snapshot', 'screenshot', 'timestamp',
               'ping', 'patch', 'reboot', 'upload', 'download', 'rerun', 'restart', 'refund', 'invoice'}
noun_verbs = sorted(l for l in selected if (l in nouns or l in EXTRA_NOUNS))

with open(HERE + '/verbs.txt', 'w') as o:
    o.write('# English verb lexicon for sopkit step-mood analysis.\n')
    o.write('# Format: base past past-participle 3rd-person-singular gerund; "/" separates spelling variants.\n')
    o.write('# Generated from lemminflect (SPECIALIST lexicon inflections), ranked by wordfreq,\n')
    o.write('# plus curated procedural, IT, laboratory and finance verbs. See rules/en/README.md.\n')
    o.write('\n'.join(lines) + '\n')
with open(HERE + '/noun_verbs.txt', 'w') as o:
    o.write('# Verbs from verbs.txt whose base form is also a common English noun\n')
    o.write('# ("log", "call", "record"): their base/3rd-person forms may head a noun phrase.\n')
    o.write('\n'.join(noun_verbs) + '\n')
print(len(lines), len(noun_verbs))
