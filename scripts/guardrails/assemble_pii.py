"""Assembles fixtures/guardrails/pii-*.jsonl from public labelled sources (see fixtures/guardrails/README.md).

Run: python3 scripts/guardrails/assemble_pii.py <presidio git dir> <presidio-research git dir>
Git dirs are bare snapshots (read with `git show`), e.g. from github.com/microsoft/presidio.
Offsets are written as Python code-point offsets and converted to UTF-16 here, so the TypeScript side reads
JavaScript string indices.
"""
import ast, json, subprocess, sys

TYPE_BY_FILE = {
    'credit_card': 'CREDIT_CARD', 'email': 'EMAIL_ADDRESS', 'phone': 'PHONE_NUMBER', 'ip': 'IP_ADDRESS',
    'url': 'URL', 'us_ssn': 'US_SSN', 'uk_nino': 'UK_NINO', 'de_tax_id': 'DE_TAX_ID', 'date': 'DATE_TIME',
    'iban': 'IBAN_CODE',
}
# Presidio entity names we emit; the research set's other labels (ORGANIZATION, GPE, ...) are not scored.
SCORED = set(TYPE_BY_FILE.values()) | {'PERSON', 'STREET_ADDRESS', 'DOMAIN_NAME'}


def show(gitdir, path):
    return subprocess.run(['git', '--git-dir', gitdir, 'show', f'HEAD:{path}'], check=True, capture_output=True,
                          text=True).stdout


def u16(text, i):
    return len(text[:i].encode('utf-16-le')) // 2


def recognizer_cases(gitdir):
    out = []
    for stem, etype in TYPE_BY_FILE.items():
        path = f'presidio-analyzer/tests/test_{stem}_recognizer.py'
        tree = ast.parse(show(gitdir, path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, 'attr', '') == 'parametrize'):
                continue
            names = [n.strip() for n in ast.literal_eval(node.args[0]).split(',')]
            pos_key = next((k for k in ('expected_positions', 'expected_res') if k in names), None)
            if pos_key is None or 'expected_len' not in names:
                continue
            for row in node.args[1].elts:
                try:
                    values = dict(zip(names, ast.literal_eval(row)))
                except ValueError:
                    continue  # rows built by function calls are skipped
                text = values[names[0]]
                if not isinstance(text, str):
                    continue
                positions = values[pos_key] or ()
                types = values.get('entities') or [etype] * len(positions)
                spans = [{'type': t if t in SCORED else etype, 'start': u16(text, s), 'end': u16(text, e)}
                         for t, (s, e) in zip(types, positions)]
                out.append({'text': text, 'spans': spans, 'source': f'presidio:{path}'})
    return out


def research_cases(gitdir):
    data = json.loads(show(gitdir, 'data/synth_dataset_v2.json'))
    out = []
    for i, rec in enumerate(data):
        text = rec['full_text']
        spans = [{'type': s['entity_type'], 'start': u16(text, s['start_position']),
                  'end': u16(text, s['end_position'])} for s in rec['spans']]
        out.append({'text': text, 'spans': spans, 'template': rec['template_id'],
                    'source': 'presidio-research:data/synth_dataset_v2.json'})
    return out


def write(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    write('fixtures/guardrails/pii-presidio-tests.jsonl', recognizer_cases(sys.argv[1]))
    write('fixtures/guardrails/pii-presidio-research.jsonl', research_cases(sys.argv[2]))
