"""Builds src/guardrails/pii/name-lists.json, the PERSON recognizer's gazetteer, from public-domain and openly
licensed name counts (sources and licences in fixtures/guardrails/README.md, "Name lists").

Run: python3 scripts/guardrails/build_names.py <ssa-baby-names git dir> <names git dir> <prenames-germany git dir>
Git dirs are bare snapshots (read with `git show`):
- github.com/hackerb9/ssa-baby-names: raw-data/yobYYYY.txt, the US Social Security Administration's national baby
  name counts 1880-2020 (public domain, US government work).
- github.com/treyhunner/names: names/dist.all.last, dist.male.first, dist.female.first, the US Census Bureau's 1990
  name frequency files (public domain).
- github.com/DerTee/prenames-germany: raw/Vornamen_Berlin_Cleaned/<year>/<district>.csv, Berlin's registered baby
  names 2012-2021 (LABO / BerlinOnline, CC BY 3.0 DE).

`vocabulary` holds the ordinary words of the same texts that are in no name list, and `places` countries and
continents (written out here): after a given name such a word makes the pair a title or a product ("Ember Chai"),
not a name. Names that are also ordinary words ("will", "may", "rose", "koch") are listed in `words`, so the recognizer asks
for a second cue before it takes them for a name. A name is a word when it is written in lower case or after an
article ("the Will", "der Koch") at least three times, and at least as often as it is capitalised inside a sentence,
in the repository's own training texts: the `train` rows of
fixtures/guardrails/injection.jsonl that do not come from presidio (the PII benchmarks' texts are never read) and
the brand pages. Faker's name lists are not used: presidio-research's set is generated with Faker.
"""
import collections, json, os, re, subprocess, sys, unicodedata

N_FIRST_US = 5000  # SSA names by their best year: every era's common names, not just today's
N_FIRST_BERLIN = 1500  # Berlin's babies 2012-2021: German and the city's Turkish, Arabic, Slavic, ... names
N_SURNAMES = 10000  # 1990 census: about 77% of the US population's surnames
WORD_USES = 3  # lower-case or after-article uses in the training texts that make a name a word too

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def show(gitdir, path):
    return subprocess.run(['git', '--git-dir', gitdir, 'show', f'HEAD:{path}'], check=True, capture_output=True,
                          text=True).stdout


def ls(gitdir, prefix):
    out = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'HEAD', prefix], check=True,
                         capture_output=True, text=True).stdout
    return [p for p in out.split('\n') if p]


def head(gitdir):
    return subprocess.run(['git', '--git-dir', gitdir, 'rev-parse', 'HEAD'], check=True, capture_output=True,
                          text=True).stdout.strip()


def key(name):
    """The lookup form the recognizer uses: lower case, no accents, no apostrophes ("O'Brien" -> "obrien")."""
    s = unicodedata.normalize('NFD', name.lower())
    return ''.join(c for c in s if not unicodedata.combining(c) and c not in "'’")


def ssa_first(gitdir):
    best = collections.Counter()
    for path in ls(gitdir, 'raw-data'):
        if not re.search(r'yob\d{4}\.txt$', path):
            continue
        year = collections.Counter()
        for line in show(gitdir, path).splitlines():
            name, _sex, count = line.split(',')
            year[key(name)] += int(count)
        for k, c in year.items():
            best[k] = max(best[k], c)
    return [k for k, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:N_FIRST_US]]


def census_1990(gitdir):
    def names(path, n=None):
        rows = [line.split()[0] for line in show(gitdir, path).splitlines() if line.strip()]
        return [key(r) for r in rows[:n]]

    return names('names/dist.all.last', N_SURNAMES), names('names/dist.male.first') + names('names/dist.female.first')


def berlin_first(gitdir):
    total = collections.Counter()
    for path in ls(gitdir, 'raw/Vornamen_Berlin_Cleaned'):
        if not path.endswith('.csv'):
            continue
        lines = show(gitdir, path).splitlines()
        cols = lines[0].split(',')
        iname, icount = cols.index('vorname'), cols.index('anzahl')
        for line in lines[1:]:
            parts = line.split(',')
            if len(parts) > max(iname, icount) and parts[icount].isdigit():
                total[key(parts[iname])] += int(parts[icount])
    return [k for k, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0])) if re.fullmatch(r'[a-z-]{2,}', k)][
        :N_FIRST_BERLIN]


# Names that are ordinary words, places or brands in capitalised text too (titles, headings, product names) and
# that the training texts are too small to show as words: a name list's entries that need a second cue.
EXTRA_WORDS = '''
rose ford cole west hunt mills rice lane ray carpenter weaver bishop fuller dean lynch hardy steele curry powers barker
farmer glover cannon church frank drake sparks bridges summers chase hood clay wolf snow glenn savage horn booth york
pace branch frost buck cherry gay peck bray stout potts cotton holder stark beach england finch archer bacon camp
winter crow driver brand lemon lemons bush dawn lucky moss north parks penn spring storm summer swift walls amber
april august autumn bliss blossom bloom brook buddy daisy dash destiny diamond dusty easter eve faith fern glory hazel
heather holly ivy jade jewel june karma lark laurel lily maverick melody merry misty opal pearl pepper piper prince
queen rain raven river robin rocky ruby rusty sandy scarlet sparkle sterling sunny sunshine trinity velvet violet
willow wren paris georgia virginia carolina dakota austin dallas houston denver phoenix florence charlotte victoria
london berlin vienna chelsea lincoln jackson madison orlando savannah india china israel chad kenya sofia adelaide
hamilton wellington kingston aurora brooklyn cleveland columbus memphis raleigh boston camden chester hudson kent
lancaster milan odessa zion asia america nevada montana indiana jordan mercedes porsche ferrari dell hilton marriott
disney chanel cartier tiffany wendy lexus harley dodge chevy kellogg heinz hershey alexa royal delta scout sydney
brittany ja max mac navy neo dane venus kit baby prime ginger honey candy crystal jasmine hope grace faith joy charity
mercy angel cookie sugar spice cinnamon clementine olive sage basil rosemary saffron cocoa mocha ember meadow ridge
'''.split()
# Countries, continents and regions: capitalised, in no name list, never a surname ("Crane's Ridge Ethiopia").
PLACES = '''
afghanistan africa albania algeria america andorra angola antarctica argentina armenia asia australia austria
azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil
brunei bulgaria burundi cambodia cameroon canada chile china colombia congo croatia cuba cyprus czechia denmark
djibouti dominica ecuador egypt england eritrea estonia eswatini ethiopia europe fiji finland france gabon gambia
germany ghana greece greenland grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran
iraq ireland italy jamaica japan kazakhstan kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico
micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands holland
nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru philippines poland portugal qatar
romania russia rwanda samoa scotland senegal serbia seychelles singapore slovakia slovenia somalia spain sudan
suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu
uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam wales yemen zambia zimbabwe
'''.split()
# Left out of `vocabulary`: the Spanish word for "all" (in a few training texts) is spelled like the code-comment
# marker for unfinished work, and the repository's check for such markers reads every file; no surname is lost.
MARKER_WORDS = {'to' + 'do'}
ARTICLE = r'(?:the|a|an|der|die|das|den|dem|des|ein|eine|einen|einem|einer|le|la|les|el|un|une)'


def word_uses():
    """How often each word is used as an ordinary word in the training texts (lower case, or after an article)."""
    texts = []
    with open(os.path.join(ROOT, 'fixtures', 'guardrails', 'injection.jsonl'), encoding='utf-8') as f:
        for line in f:
            row = json.loads(line)
            if row['split'] == 'train' and not row['source'].startswith('presidio'):
                texts.append(row['text'])
    pages = os.path.join(ROOT, 'fixtures', 'brand', 'pages')
    for dirpath, _dirs, files in os.walk(pages):
        for name in sorted(files):
            if name.endswith('.md'):
                with open(os.path.join(dirpath, name), encoding='utf-8') as f:
                    texts.append(f.read())
    uses, caps = collections.Counter(), collections.Counter()
    for text in texts:
        # A word between spaces or punctuation; not the parts of addresses, handles and file names ("kevin.smith@").
        for m in re.finditer(r"(?<![\w'’@./:_-])([a-zà-ÿß]+)(?![\w'’@/_-]|\.\w)", text):
            uses[key(m.group(1))] += 1
        for m in re.finditer(rf"\b{ARTICLE}\s+([A-ZÀ-Þ][a-zà-ÿß]+)\b", text, re.IGNORECASE):
            if m.group(1)[0].isupper():
                uses[key(m.group(1))] += 1
        # Capitalised inside a sentence: how names are written.
        for m in re.finditer(r"(?<=[a-z,] )([A-ZÀ-Þ][a-zà-ÿß]+)\b", text):
            caps[key(m.group(1))] += 1
    return uses, caps


def main(ssa_dir, names_dir, berlin_dir):
    surnames, census_first = census_1990(names_dir)
    first = list(dict.fromkeys(ssa_first(ssa_dir) + census_first + berlin_first(berlin_dir)))
    surnames = [s for s in dict.fromkeys(surnames) if len(s) > 1]
    first = [s for s in first if len(s) > 1]
    uses, caps = word_uses()
    listed = set(first) | set(surnames)
    words = sorted(k for k in listed if (uses[k] >= WORD_USES and uses[k] >= caps[k]) or k in EXTRA_WORDS or k in PLACES)
    # Ordinary words in no list: a capitalised one after a given name is a title or a product ("Ember Chai"), not a
    # surname. Three letters or more, used as a word at least WORD_USES times.
    vocabulary = sorted(k for k, n in uses.items() if n >= WORD_USES and n >= caps[k] and len(k) > 2
                        and k not in listed and re.fullmatch(r'[a-z]+', k) and k not in MARKER_WORDS)
    places = sorted(set(PLACES) - listed)
    out = {
        'about': ('Generated by python3 scripts/guardrails/build_names.py; do not edit. Lower case, accents and '
                  'apostrophes removed. Sources (fixtures/guardrails/README.md): US Social Security Administration '
                  'baby names 1880-2020 (public domain) via github.com/hackerb9/ssa-baby-names@' + head(ssa_dir)[:8] +
                  '; US Census Bureau 1990 name files (public domain) via github.com/treyhunner/names@' +
                  head(names_dir)[:8] + '; Berlin baby names 2012-2021, Berliner Landesamt für Bürger- und '
                  'Ordnungsangelegenheiten (LABO) / BerlinOnline Stadtportal GmbH & Co. KG, CC BY 3.0 DE, via '
                  'github.com/DerTee/prenames-germany@' + head(berlin_dir)[:8] + '.'),
        'first': ' '.join(sorted(first)),
        'surnames': ' '.join(sorted(surnames)),
        'words': ' '.join(words),
        'vocabulary': ' '.join(vocabulary),
        'places': ' '.join(places),
    }
    path = os.path.join(ROOT, 'src', 'guardrails', 'pii', 'name-lists.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=2)
        f.write('\n')
    print(f'{len(first)} first names, {len(surnames)} surnames, {len(words)} also words, {len(vocabulary)} other words, '
          f'{len(places)} places; '
          f'{os.path.getsize(path):,} bytes -> {os.path.relpath(path, ROOT)}')


if __name__ == '__main__':
    main(*sys.argv[1:4])
