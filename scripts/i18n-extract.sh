#!/bin/sh
# Builds po/crm.pot from the templates' {{_ text}} tags and the C strings
# marked N_("...") or _("...") in lib/*.c and modules/*/*.c, then merges it
# into every po/<lang>.po with msgmerge. Run it after changing any
# user-visible text, translate what is new or fuzzy, then run
# scripts/i18n-check.sh. Running it twice changes nothing the second time.
#
# Usage: scripts/i18n-extract.sh            update po/crm.pot and po/*.po
#        scripts/i18n-extract.sh --pot FILE write the template to FILE only
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
# Sorted file lists and stable output whatever the caller's locale.
export LC_ALL=C

pot_only=""
if [ "${1:-}" = "--pot" ]; then
	[ $# -eq 2 ] || { echo "usage: $0 [--pot FILE]" >&2; exit 2; }
	pot_only=$2
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

# Templates: the msgid is the tag's text with surrounding whitespace
# trimmed, exactly what crm_tmpl_set_translator is asked for; the tag ends
# at the first "}}", as in the template compiler. Written as a PO file,
# which xgettext reads like any other source, keeping the references.
find html/templates -name '*.mustache' ! -path '*/.*' | sort > "$TMP/templates"
perl -e '
	use strict;
	my $bad = 0;
	sub po_quote {
		my $s = shift;
		$s =~ s/\\/\\\\/g;
		$s =~ s/"/\\"/g;
		$s =~ s/\t/\\t/g;
		$s =~ s/\r/\\r/g;
		$s =~ s/\n/\\n/g;
		return "\"$s\"";
	}
	while (my $file = <STDIN>) {
		chomp $file;
		open(my $fh, "<:raw", $file) or die "$file: $!\n";
		local $/;
		my $src = <$fh>;
		close $fh;
		if ($src =~ /\{\{=/g) {
			my $line = 1 + (substr($src, 0, pos($src)) =~ tr/\n//);
			# Other delimiters would hide tags from this scanner.
			print STDERR "$file:$line: a delimiter change: i18n-extract.sh cannot read this template\n";
			$bad = 1;
			next;
		}
		while ($src =~ /\{\{_[ \t\n\r\f\x0b](.*?)\}\}/gs) {
			my ($text, $start) = ($1, $-[0]);
			my $line = 1 + (substr($src, 0, $start) =~ tr/\n//);
			$text =~ s/^[ \t\n\r\f\x0b]+//;
			$text =~ s/[ \t\n\r\f\x0b]+$//;
			if ($text eq "" || $text =~ /\{\{/) {
				print STDERR "$file:$line: {{_ }} must hold plain text: split it around tags\n";
				$bad = 1;
				next;
			}
			print "#: $file:$line\nmsgid ", po_quote($text), "\nmsgstr \"\"\n\n";
		}
	}
	exit $bad;
' < "$TMP/templates" > "$TMP/templates.po"

# xgettext merges duplicates across both kinds of input and keeps every
# reference; comments starting TRANSLATORS: reach the translators.
set -- lib/*.c modules/*/*.c
if ! xgettext --from-code=UTF-8 --keyword=N_ --keyword=_ --add-comments=TRANSLATORS: \
	--package-name=crm -o "$TMP/crm.pot" "$TMP/templates.po" "$@" 2>"$TMP/err"; then
	cat "$TMP/err" >&2
	exit 1
fi
# Without a bug address xgettext nags in four lines; we have none to give.
grep -v -e 'msgid-bugs-address' -e 'MSGID_BUGS_ADDRESS' -e "'Makevars' file" "$TMP/err" >&2 || :
if [ -n "$pot_only" ]; then
	cp "$TMP/crm.pot" "$pot_only"
	exit 0
fi

# Only the creation date differs when nothing changed: keep the old file so
# that the .po headers, which copy that date, do not change either.
strip_date() { sed '/^"POT-Creation-Date:/d' "$1"; }
strip_date "$TMP/crm.pot" > "$TMP/new"
if ! { [ -f po/crm.pot ] && strip_date po/crm.pot | cmp -s - "$TMP/new"; }; then
	cp "$TMP/crm.pot" po/crm.pot
	echo "  wrote po/crm.pot: $(grep -c '^msgid ' po/crm.pot) entries with the header"
fi

# A msgid that is gone becomes an obsolete #~ entry and comes back,
# translated, when the same msgid returns. No fuzzy matching: it would
# offer "Version" for "Permission", and it consumes obsolete entries, which
# also hold translations waiting for strings not yet marked in C. A changed
# msgid is therefore simply untranslated, its old translation kept as #~.
for po in po/*.po; do
	[ -f "$po" ] || continue
	msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" po/crm.pot
done
