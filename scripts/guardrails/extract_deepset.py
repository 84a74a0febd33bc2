"""Writes fixtures/guardrails/source-deepset-full.jsonl: all 662 rows of deepset/prompt-injections (Apache-2.0).

Run: python3 scripts/guardrails/extract_deepset.py <sinanw/llm-security-prompt-injection>
(a bare git snapshot of that MIT-licensed GitHub repository, whose data/raw/ holds deepset's train and test parquet
files unchanged). Needs pyarrow, for this step only; the assembly script reads the JSONL this writes.
deepset's rows carry no language; a row is marked German when German function words (or umlauts) outnumber English
ones. The language is only descriptive: these rows all go to the training split.
"""
import io, json, re, subprocess, sys
import pyarrow.parquet as pq

FILES = (('train', 'data/raw/train-00000-of-00001-9564e8b05b4757ab.parquet'),
         ('test', 'data/raw/test-00000-of-00001-701d16158af87368.parquet'))
DE = re.compile(r'\b(und|der|die|das|ich|nicht|ist|sind|sie|wie|wer|was|warum|welche[rsnm]?|ein|eine[rnms]?|mit|für|'
                r'auf|den|dem|zu|es|du|dich|dir|mir|wir|bitte|vergiss|alle[s]?|oder|gibt|nach|über|bei|von|im|aus|'
                r'jetzt|noch|auch|sehr|wird|werden|kann|können|haben|hat|hast|sich|deine?)\b', re.I)
EN = re.compile(r'\b(the|and|is|are|you|what|how|why|who|of|to|in|for|with|your|this|that|i|a|an|on|be|my|me|'
                r'please|now|all|can|do|does)\b', re.I)


def lang_of(text):
    de = len(DE.findall(text)) + 2 * len(re.findall(r'[äöüßÄÖÜ]', text))
    return 'de' if de > len(EN.findall(text)) else 'en'


def main(gitdir):
    with open('fixtures/guardrails/source-deepset-full.jsonl', 'w', encoding='utf-8') as out:
        for split, path in FILES:
            blob = subprocess.run(['git', '--git-dir', gitdir, 'show', f'HEAD:{path}'], check=True,
                                  capture_output=True).stdout
            for rec in pq.read_table(io.BytesIO(blob)).to_pylist():
                row = {'text': rec['text'], 'label': int(rec['label']), 'lang': lang_of(rec['text']),
                       'deepset_split': split}
                out.write(json.dumps(row, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
