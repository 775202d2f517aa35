#!/usr/bin/env python3
"""Extracts a CIS benchmark's section headings (number -> title) from a
public text that lists the benchmark's numbered items, into
tools/packgen/data/sections_PACK.json (read by sections.py):

    python3 tools/packgen/src2sections.py --format FORMAT \\
        --benchmark 'CIS ... Benchmark vX.Y.Z' \\
        --controls tools/packgen/data/cis_PACK.json \\
        --pack hardening/rules/PACK.json \\
        (--git GITDIR --path PATH [--rev REV] | --file FILE --source TEXT) \\
        > tools/packgen/data/sections_PACK.json

FORMAT is the shape of the text:
  readme  a markdown table "| 5.1 | **Configure SSH Server** | ..." (bold
          rows are headings, plain rows recommendations), as in
          MVladislav/ansible-cis-ubuntu-*'s README.md;
  toc     the table of contents of the benchmark's PDF as text
          ("5.1 Configure SSH Server ........ 522", entries wrapped over
          lines; "(Automated)"/"(Manual)" entries are recommendations, the
          others headings), from the line "Table of Contents" to the first
          "Appendix";
  outline the benchmark's PDF itself: the /Title strings of its document
          outline (bookmarks), "5.1 Configure SSH Server", one per heading
          and recommendation (status suffix as in toc); CIS's PDFs keep
          the outline in plain, uncompressed objects, so no PDF library is
          needed, and an excerpt of those objects reads the same.
The text is read from a clone (--git, at --rev, HEAD by default; the data
file records the repository, path and commit) or from a file (--file,
with --source naming where it was read: "owner/repo PATH @ COMMIT").

Numbering moves between editions, so the text is checked before anything
is written:
  - every recommendation of the text whose number is a control of
    --controls (SCAP Security Guide's control data of the same edition)
    must carry that control's title (case, spacing, markdown escapes and
    the "(Automated)" suffix aside);
  - with --pack, every CIS number the pack's rules reference must be a
    recommendation of the text: a pack numbered after another edition
    cannot take these headings.
Only the headings are kept: they are CIS's text, the recommendations'
titles are not copied.
"""
import argparse
import json
import re
import subprocess
import sys

NUM = r'[0-9]+(?:\.[0-9]+)*'
ROW = re.compile(r'^\|\s*(' + NUM + r')\s*\|\s*(.*?)\s*\|')
ENTRY = re.compile(r'^(' + NUM + r')\s+(\S.*)$')
# An entry ends with its page: after a dotted leader, or after the status
# of a recommendation whose title fills the line.
PAGE = re.compile(r'^(.*?)(?:\s*\.{2,}\s*|(?<=\))\s+)(\d+)$')
STATUS = re.compile(r'\s*\((?:Automated|Manual|Scored|Not Scored)\)\s*$')
NOISE = re.compile(r'^(?:Internal Only - General|Page \d+)$')


def unescape(t):
    """Markdown's backslash escapes (\\_chrony) as the text they stand for."""
    return re.sub(r'\\([\\`*_{}\[\]()#+\-.!<>|])', r'\1', t)


def norm(t):
    """A title as compared: no status suffix, spacing or case."""
    return re.sub(r'\s+', ' ', STATUS.sub('', unescape(t))).strip().lower()


def parse_readme(text):
    """(headings, recommendations) of a README recommendation table."""
    heads, recs = {}, {}
    for line in text.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        num, cell = m.groups()
        if cell.startswith('**') and cell.endswith('**'):
            heads[num] = unescape(cell[2:-2].strip())
        else:
            recs[num] = unescape(cell)
    return heads, recs


def toc_entries(text):
    """The (number, title) entries of a PDF's table of contents as text.

    An entry starts with its number and ends with its page number after a
    dotted leader; a long title wraps onto the next lines, and the page
    footers between them are not part of it."""
    lines = text.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == 'Table of Contents')
    except StopIteration:
        sys.exit('src2sections: no "Table of Contents" line')
    entries, cur = [], None
    for line in lines[start + 1:]:
        s = line.strip()
        if s.startswith('Appendix') and entries:
            break
        if not s or NOISE.match(s):
            continue
        m = ENTRY.match(s)
        if m and (cur is None or cur[2]):
            cur = [m.group(1), m.group(2), False]
            entries.append(cur)
        elif cur is not None and not cur[2]:
            cur[1] += ' ' + s
        else:
            continue
        p = PAGE.match(cur[1])
        if p:
            cur[1], cur[2] = p.group(1).rstrip(' .'), True
    broken = [e[0] for e in entries if not e[2]]
    if broken:
        sys.exit('src2sections: table of contents entries without a page number: %s'
                 % ', '.join(broken[:10]))
    return [(n, re.sub(r'\s+', ' ', t)) for n, t, _ in entries]


def parse_toc(text):
    heads, recs = {}, {}
    for num, title in toc_entries(text):
        (recs if STATUS.search(title) else heads)[num] = title
    return heads, recs


PDF_TITLE = re.compile(rb'/Title\s*\(')
PDF_ESC = {ord('n'): b'\n', ord('r'): b'\r', ord('t'): b'\t', ord('b'): b'\b',
           ord('f'): b'\f', ord('('): b'(', ord(')'): b')', ord('\\'): b'\\'}


def pdf_string(data, i):
    """The bytes of the PDF literal string whose text starts at data[i]
    (after its "("): escapes resolved, balanced parentheses kept."""
    out, depth = bytearray(), 1
    while i < len(data):
        c = data[i]
        if c == ord('\\') and i + 1 < len(data):
            e = data[i + 1]
            if e in PDF_ESC:
                out += PDF_ESC[e]
                i += 2
            elif 0x30 <= e <= 0x37:
                m = re.match(rb'[0-7]{1,3}', data[i + 1:i + 4])
                out.append(int(m.group(0), 8) & 0xff)
                i += 1 + len(m.group(0))
            elif e in b'\r\n':
                i += 3 if data[i + 1:i + 3] == b'\r\n' else 2
            else:
                i += 1
            continue
        if c == ord('('):
            depth += 1
        elif c == ord(')'):
            depth -= 1
            if not depth:
                return bytes(out)
        out.append(c)
        i += 1
    sys.exit('src2sections: unterminated /Title string in the PDF')


def pdf_text(b):
    """A PDF text string: UTF-16BE after its byte order mark, else
    PDFDocEncoding (Latin-1 for the characters of a title)."""
    if b.startswith(b'\xfe\xff'):
        return b[2:].decode('utf-16-be', 'replace')
    return b.decode('latin-1')


def parse_outline(data):
    heads, recs = {}, {}
    for m in PDF_TITLE.finditer(data):
        title = re.sub(r'\s+', ' ', pdf_text(pdf_string(data, m.end()))).strip()
        e = ENTRY.match(title)
        if e:
            (recs if STATUS.search(e.group(2)) else heads)[e.group(1)] = e.group(2)
    return heads, recs


PARSERS = {'readme': parse_readme, 'toc': parse_toc, 'outline': parse_outline}


def git(gitdir, *args):
    return subprocess.run(['git', '--git-dir', gitdir] + list(args), check=True,
                          capture_output=True).stdout


def numkey(n):
    return [int(x) for x in n.split('.')]


def check(heads, recs, controls, pack, accept):
    """Stops unless the text is the edition of the controls and the pack;
    returns the count of recommendations with the controls' title."""
    if not heads:
        sys.exit('src2sections: no headings found')
    same, differ = 0, []
    for num, title in recs.items():
        if num in controls:
            if norm(title) == norm(controls[num]['title']):
                same += 1
            elif num not in accept:
                differ.append('%s (%r, controls: %r)' % (num, title, controls[num]['title']))
    unused = sorted(set(accept) - {n for n in recs if n in controls
                                   and norm(recs[n]) != norm(controls[n]['title'])})
    if unused:
        sys.exit('src2sections: --accept %s: no such difference' % ', '.join(unused))
    if differ:
        sys.exit('src2sections: %d of %d recommendations have another title than the controls:\n  %s'
                 % (len(differ), same + len(differ), '\n  '.join(differ[:20])))
    if not same:
        sys.exit('src2sections: no recommendation of the text is a control')
    if pack is not None:
        used = {r['references'].get('cis') for r in pack['rules']} - {None}
        missing = sorted((n for n in used if n not in recs), key=numkey)
        if missing:
            sys.exit('src2sections: the pack references %d numbers that are no '
                     'recommendation of the text (numbered after another edition?): %s'
                     % (len(missing), ', '.join(missing[:20])))
    return same


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--format', required=True, choices=sorted(PARSERS))
    ap.add_argument('--benchmark', required=True)
    ap.add_argument('--controls', required=True)
    ap.add_argument('--pack')
    ap.add_argument('--git')
    ap.add_argument('--path')
    ap.add_argument('--rev', default='HEAD')
    ap.add_argument('--file')
    ap.add_argument('--source')
    ap.add_argument('--accept', action='append', default=[], metavar='NUM',
                    help='a recommendation whose title may differ from the '
                    'controls\' (the data file lists it)')
    a = ap.parse_args()
    if a.git and a.path and not a.file:
        commit = git(a.git, 'rev-parse', a.rev + '^{commit}').decode().strip()
        data = git(a.git, 'show', commit + ':' + a.path)
        repo = a.git.rstrip('/').split('/')[-2].replace('+', '/')
        source = a.source or '%s %s @ %s' % (repo, a.path, commit)
    elif a.file and a.source and not a.git:
        with open(a.file, 'rb') as fh:
            data = fh.read()
        source = a.source
    else:
        ap.error('give --git and --path, or --file and --source')
    with open(a.controls, encoding='utf-8') as fh:
        controls = json.load(fh)['controls']
    pack = None
    if a.pack:
        with open(a.pack, encoding='utf-8') as fh:
            pack = json.load(fh)
    # The PDF is bytes; the other formats are UTF-8 text.
    heads, recs = PARSERS[a.format](data if a.format == 'outline' else data.decode('utf-8'))
    same = check(heads, recs, controls, pack, a.accept)
    compared = len([n for n in recs if n in controls])
    checked = '%d of %d recommendations whose number is a control of %s have its title' % (
        same, compared, a.controls.split('/')[-1])
    if a.accept:
        checked += ' (%s: other wording in the controls)' % ', '.join(sorted(a.accept, key=numkey))
    if pack is not None:
        checked += '; every CIS number of the pack is a recommendation of the text'
    sys.stderr.write('src2sections: %d headings; %s\n' % (len(heads), checked))
    ordered = dict(sorted(heads.items(), key=lambda kv: numkey(kv[0])))
    json.dump({'source': source, 'benchmark': a.benchmark, 'checked': checked,
               'sections': ordered}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
