#!/usr/bin/env python3
"""Fills translations into a .po file from a Python dict file:
po-fill.py po/zh_CN.po table.py  (table.py defines T = {msgid: msgstr}).
Only entries whose msgid is one line are touched; fuzzy guesses for those
are replaced. For translators adding many strings at once."""
import re, subprocess, sys

po, table = sys.argv[1], sys.argv[2]
ns = {}
exec(open(table, encoding='utf-8').read(), ns)
T = ns['T']
subprocess.run(['msgcat', '--no-wrap', '-o', po, po], check=True)
lines = open(po, encoding='utf-8').read().split('\n')
out, i, n = [], 0, 0
def unq(s): return s.encode('utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')
def q(s): return s.replace('\\', '\\\\').replace('"', '\\"')
while i < len(lines):
    line = lines[i]
    m = re.match(r'^msgid "(.*)"$', line)
    if m and i + 1 < len(lines) and lines[i + 1].startswith('msgstr '):
        key = unq(m.group(1))
        if key in T and (lines[i + 1] == 'msgstr ""' or (out and out[-1].startswith('#,') and 'fuzzy' in out[-1])):
            if out and out[-1].startswith('#,') and 'fuzzy' in out[-1]:
                flags = [f.strip() for f in out[-1][2:].split(',') if f.strip() != 'fuzzy']
                out.pop()
                if flags: out.append('#, ' + ', '.join(flags))
                while out and out[-1].startswith('#|'): out.pop()
            out.append(line)
            out.append('msgstr "%s"' % q(T[key]))
            n += 1
            i += 2
            continue
    out.append(line)
    i += 1
open(po, 'w', encoding='utf-8').write('\n'.join(out))
print('filled', n)
