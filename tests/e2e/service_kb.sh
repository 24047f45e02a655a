#!/bin/bash
# The knowledge base: articles written, edited and published by support,
# Markdown rendered safely, search in Chinese and Latin, the public help
# centre (published only), suggestions for a ticket's subject, refused
# input and who may do what.
. "$(dirname "$0")/lib.sh"
IP=127.0.18.$(( $$ % 250 + 1 ))
RUN=$$
PW='knowledge is shared 7'
# Letters only: the bigram tokenizer splits "word123" into a word and a
# number, so a unique Latin word is the run's number spelt in letters.
RW=$(echo "$RUN" | tr 0-9 a-j)
# ... and in Chinese numerals, for a subject only this run's article fits best.
digits=(零 一 二 三 四 五 六 七 八 九)
RZ=; for ((i = 0; i < ${#RUN}; i++)); do RZ+=${digits[${RUN:i:1}]}; done

for who in sue:support rob:read-only sam:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
sue_id=$($SQL -e "SELECT id FROM users WHERE email = 'sue-$RUN@example.com'")
token() { curl -s -b "$TMP/$1" "$BASE/service/kb/new" -o "$TMP/f.html"; csrf_of "$TMP/f.html"; }
T=$(token sue)
# post JAR URL field=value...: a form with the jar's token.
post() {
	jar=$1 url=$2
	shift 2
	args=()
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	fetch -b "$TMP/$jar" --data-urlencode "csrf_token=$T" "${args[@]}" "$BASE$url"
}

# Categories.
post sue /service/kb/categories "name=Printers $RUN"
[ "$STATUS" = 303 ] && ok "kb: support adds a category" || fail "kb: category: $STATUS"
cat_id=$($SQL -e "SELECT id FROM kb_categories WHERE name = 'Printers $RUN'")
post sue /service/kb/categories "name=Printers $RUN"
[ "$STATUS" = 409 ] && ok "kb: ... a second one of that name is 409" || fail "kb: duplicate category: $STATUS"
post sue /service/kb/categories "name="
[ "$STATUS" = 422 ] && ok "kb: ... an empty name is 422" || fail "kb: empty category: $STATUS"

# A draft with everything Markdown does, and what must not get through.
BODY="# Setup $RUN

Steps for the 打印机无法连接 problem (编号$RZ):

- check the cable
- restart the quokka$RW spooler

\`lpstat -p\` and [the manual](https://example.com/manual-$RUN).

[click](javascript:alert('kb$RUN'))

<script>alert('kb$RUN')</script>

<img src=x onerror=\"alert('kb$RUN')\">

<a href=\"javascript:alert(1)\">raw link</a>"
post sue /service/kb "title=打印机无法连接 $RUN" "body=$BODY" "category_id=$cat_id" status=draft
[ "$STATUS" = 303 ] && ok "kb: support creates a draft" || fail "kb: create: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"
art=$($SQL -e "SELECT id FROM kb_articles WHERE title = '打印机无法连接 $RUN'")
row=$($SQL -e "SELECT status, published_at IS NULL, author_id, category_id FROM kb_articles WHERE id = '$art'")
[ "$row" = "$(printf 'draft\t1\t%s\t%s' "$sue_id" "$cat_id")" ] && ok "kb: ... stored as a draft, unpublished, hers, in the category" ||
	fail "kb: stored as: $row"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'kb_article' AND entity_id = '$art' AND action = 'create'" 2>/dev/null ||
	$SQL -e "SELECT COUNT(*) FROM audit WHERE entity = 'kb_article' AND record_id = '$art'")
[ "$n" = 1 ] && ok "kb: ... with its audit row" || fail "kb: audit rows: $n"

fetch -b "$TMP/sue" "$BASE/service/kb/$art"
[ "$STATUS" = 200 ] && ok "kb: the draft's page" || fail "kb: show: $STATUS"
expect_body "kb: ... says it is a draft" 'id="kb-draft"'
expect_body "kb: Markdown: a heading" "<h1>Setup $RUN</h1>"
expect_body "kb: ... a list" '<li>check the cable</li>'
expect_body "kb: ... code" '<code>lpstat -p</code>'
expect_body "kb: ... a link" "<a href=\"https://example.com/manual-$RUN\">the manual</a>"
expect_body "kb: ... raw HTML replaced by a comment" 'raw HTML omitted'
grep -q "<script>alert('kb$RUN')" "$TMP/b" && fail "kb: a <script> reached the page" || ok "kb: ... no <script> from the article"
grep -q 'onerror' "$TMP/b" && fail "kb: an onerror attribute reached the page" || ok "kb: ... no onerror attribute"
grep -qi 'href="javascript:' "$TMP/b" && fail "kb: a javascript: link reached the page" || ok "kb: ... no javascript: link"
expect_valid_html "kb: the article page is valid HTML"
expect_status "kb: read-only staff see the draft" 200 -b "$TMP/rob" "$BASE/service/kb/$art"
expect_status "kb: the public does not (404)" 404 "$BASE/service/help/$art"
fetch "$BASE/service/help"
grep -q "help-article-$art\"" "$TMP/b" && fail "kb: the draft is in the public list" || ok "kb: ... nor in the public list"
fetch "$BASE/service/help?q=quokka$RW"
grep -q "help-result-$art\"" "$TMP/b" && fail "kb: the draft is in the public search" || ok "kb: ... nor in the public search"
fetch -b "$TMP/sue" "$BASE/service/kb/search?q=quokka$RW"
grep -q "id=\"kb-result-$art\"><a href=\"/service/kb/$art\">[^<]*</a> <span class=\"badge kb-draft\">" "$TMP/b" &&
	ok "kb: staff search finds the draft, marked as a draft" || fail "kb: staff search: $(grep -o 'kb-result-[^<]*<[^<]*<[^<]*' "$TMP/b")"
fetch -b "$TMP/sue" "$BASE/api/v1/service/kb/suggest?subject=$(printf '打印机连不上' | jq -sRr @uri)"
jq -e --argjson id "$art" '[.articles[].id] | index($id) == null' "$TMP/b" >/dev/null &&
	ok "kb: drafts are never suggested" || fail "kb: suggested a draft: $(head -c 300 "$TMP/b")"

# Publishing: published_at once, kept when saved again or taken back.
post sue "/service/kb/$art" "title=打印机无法连接 $RUN" "body=$BODY" "category_id=$cat_id" status=published
[ "$STATUS" = 303 ] && grep -qi "^location: .*/service/kb/$art?done=published" "$TMP/h" && ok "kb: support publishes it" ||
	fail "kb: publish: $STATUS"
[ "$($SQL -e "SELECT status, published_at IS NOT NULL FROM kb_articles WHERE id = $art")" = "$(printf 'published\t1')" ] &&
	ok "kb: ... published_at is set" || fail "kb: not published"
$SQL -e "UPDATE kb_articles SET published_at = '2020-01-02 03:04:05' WHERE id = $art"
post sue "/service/kb/$art" "title=打印机无法连接 $RUN" "body=$BODY" "category_id=$cat_id" status=draft
post sue "/service/kb/$art" "title=打印机无法连接 $RUN" "body=$BODY" "category_id=$cat_id" status=published
[ "$($SQL -e "SELECT published_at FROM kb_articles WHERE id = $art")" = "2020-01-02 03:04:05" ] &&
	ok "kb: ... and kept as the first publication" || fail "kb: published_at changed: $($SQL -e "SELECT published_at FROM kb_articles WHERE id = $art")"
fetch "$BASE/service/help/$art"
[ "$STATUS" = 200 ] && ok "kb: the public page of a published article" || fail "kb: public page: $STATUS"
expect_body "kb: ... with the article rendered" "<h1>Setup $RUN</h1>"
grep -q 'class="subnav"\|nav_service\|/service/kb/' "$TMP/b" && fail "kb: the public page shows staff navigation" ||
	ok "kb: ... without the staff navigation"
grep -q "<script>alert('kb$RUN')\|onerror\|href=\"javascript:" "$TMP/b" && fail "kb: unsafe HTML on the public page" ||
	ok "kb: ... and nothing unsafe"
expect_valid_html "kb: the public page is valid HTML"

# Search: Chinese by a part of a phrase, Latin by a word's start, ranked,
# with a snippet.
fetch "$BASE/service/help?q=打印机"
expect_valid_html "kb: the public search page is valid HTML"
expect_body "kb: the public search finds 打印机无法连接 by 打印机" "id=\"help-result-$art\""
fetch -b "$TMP/rob" "$BASE/service/kb/search?q=%E6%97%A0%E6%B3%95%E8%BF%9E%E6%8E%A5"
expect_body "kb: staff search finds it by 无法连接" "id=\"kb-result-$art\""
fetch "$BASE/service/help?q=QUOKKA$RW"
expect_body "kb: Latin search, any case" "id=\"help-result-$art\""
expect_body "kb: ... with a snippet around the word" "kb-snippet\">[^<]*quokka$RW spooler"
post sue /service/kb "title=Zebra once $RUN" "body=A zebra$RW note." status=published
once=$($SQL -e "SELECT id FROM kb_articles WHERE title = 'Zebra once $RUN'")
post sue /service/kb "title=Zebra$RUN guide $RUN" "body=zebra$RW zebra$RW zebra$RW: all about zebra$RW." status=published
many=$($SQL -e "SELECT id FROM kb_articles WHERE title = 'Zebra$RUN guide $RUN'")
fetch "$BASE/api/v1/service/help?q=zebra$RW"
[ "$(jq -c '[.results[].id]' "$TMP/b")" = "[$many,$once]" ] && ok "kb: results are ranked (more matches first)" ||
	fail "kb: ranking: $(jq -c '[.results[].id]' "$TMP/b") wanted [$many,$once]"
fetch "$BASE/service/help?q=nosuchword$RW"
expect_body "kb: a search without hits says so" 'Nothing found'
# The index follows an edit: the old word is gone, the new one found.
post sue "/service/kb/$once" "title=Zebra once $RUN" "body=An okapi$RW note now." status=published
fetch "$BASE/api/v1/service/help?q=okapi$RW"
[ "$(jq -c '[.results[].id]' "$TMP/b")" = "[$once]" ] && ok "kb: an edit is searchable at once" || fail "kb: after edit: $(head -c 200 "$TMP/b")"
fetch "$BASE/api/v1/service/help?q=zebra$RW"
[ "$(jq -c '[.results[].id]' "$TMP/b")" = "[$many]" ] && ok "kb: ... and its old words are gone" || fail "kb: old words: $(jq -c '[.results[].id]' "$TMP/b")"

# Suggestions for a ticket's subject: any of its words, bigrams for Chinese.
fetch -b "$TMP/rob" "$BASE/api/v1/service/kb/suggest?subject=$(printf '我的打印机连不上了，编号%s' "$RZ" | jq -sRr @uri)"
[ "$STATUS" = 200 ] && jq -e --argjson id "$art" '.articles[0].id == $id and (.articles[0].link | endswith("/\($id)"))' "$TMP/b" >/dev/null &&
	ok "kb: a Chinese subject suggests the printer article" || fail "kb: suggest: $STATUS $(head -c 300 "$TMP/b")"
fetch -b "$TMP/rob" "$BASE/service/kb/suggest?subject=Where+is+the+okapi$RW%3F"
jq -e --argjson id "$once" '[.articles[].id] == [$id]' "$TMP/b" >/dev/null && ok "kb: ... a Latin one its article (plain URL answers JSON)" ||
	fail "kb: latin suggest: $(head -c 300 "$TMP/b")"
fetch -b "$TMP/rob" "$BASE/service/kb/suggest?subject=xq"
jq -e '.articles == []' "$TMP/b" >/dev/null && ok "kb: ... nothing for a subject without words" || fail "kb: empty suggest: $(head -c 200 "$TMP/b")"

# List and its filters.
fetch -b "$TMP/rob" "$BASE/service/kb?category_id=$cat_id"
expect_body "kb: the list filtered by category" "id=\"kb-article-$art\""
expect_valid_html "kb: the list is valid HTML"
grep -q "kb-article-$once\"" "$TMP/b" && fail "kb: category filter let another through" || ok "kb: ... only that category's"
fetch -b "$TMP/rob" "$BASE/service/kb?status=draft&title=Zebra"
grep -q "kb-article-$once\"\|kb-article-$many\"" "$TMP/b" && fail "kb: status filter shows published" || ok "kb: status filter: no published ones among drafts"
fetch -b "$TMP/rob" "$BASE/service/kb?title=Zebra%20once%20$RUN"
expect_body "kb: title prefix filter" "id=\"kb-article-$once\""
grep -q "kb-article-$many\"" "$TMP/b" && fail "kb: prefix filter let another through" || ok "kb: ... and only it"
expect_status "kb: a made-up status in the filter is 400" 400 -b "$TMP/rob" "$BASE/service/kb?status=gone"

# Refused input: the form again, nothing written.
before=$($SQL -e "SELECT COUNT(*) FROM kb_articles")
post sue /service/kb "title=" "body=Some text $RUN" status=draft
[ "$STATUS" = 422 ] && ok "kb: an empty title is 422" || fail "kb: empty title: $STATUS"
expect_body "kb: ... with the field's message" 'field-error">Enter a title'
expect_body "kb: ... and the text kept" "Some text $RUN</textarea>"
post sue /service/kb "title=Bad $RUN" "body=x" status=archived
[ "$STATUS" = 422 ] && ok "kb: a made-up status is 422" || fail "kb: bad status: $STATUS"
post sue /service/kb "title=Bad $RUN" "body=x" status=draft category_id=999999999
[ "$STATUS" = 422 ] && ok "kb: a category that does not exist is 422" || fail "kb: bad category: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM kb_articles")" = "$before" ] && ok "kb: ... and nothing was written" || fail "kb: a refused article was written"
expect_status "kb: an article that does not exist is 404" 404 -b "$TMP/sue" "$BASE/service/kb/999999999"

# Who may do what: support writes (above); read-only reads; sales neither.
expect_status "kb: read-only may not open the form (403)" 403 -b "$TMP/rob" "$BASE/service/kb/new"
fetch -b "$TMP/rob" "$BASE/service/kb"
grep -q 'id="kb-category-form"\|id="kb-new"' "$TMP/b" && fail "kb: read-only sees the write forms" || ok "kb: ... nor sees the write forms"
# Rob's own form token (the layout's), so that only the permission refuses.
T=$(csrf_of "$TMP/b")
post rob /service/kb "title=Rob $RUN" "body=x" status=draft
[ "$STATUS" = 403 ] && ok "kb: read-only may not create (403)" || fail "kb: read-only create: $STATUS"
post rob "/service/kb/$art" "title=Rob $RUN" "body=x" status=draft
[ "$STATUS" = 403 ] && ok "kb: ... nor edit (403)" || fail "kb: read-only edit: $STATUS"
[ "$($SQL -e "SELECT title FROM kb_articles WHERE id = $art")" = "打印机无法连接 $RUN" ] && ok "kb: ... the article is unchanged" || fail "kb: read-only changed it"
expect_status "kb: sales has no service.read (403)" 403 -b "$TMP/sam" "$BASE/service/kb"
fetch "$BASE/api/v1/service/kb/suggest?subject=printer"
[ "$STATUS" = 401 ] && ok "kb: suggestions need a sign-in" || fail "kb: signed-out suggest: $STATUS"

# The index behind the search is rebuilt from the articles: a row lost
# (Mroonga does not roll back, and a crash can fall between the commit
# and the index row) comes back with crmctl search rebuild.
$SQL -e "DELETE FROM kb_search WHERE article_id = $art"
fetch -b "$TMP/sue" "$BASE/service/kb/search?q=quokka$RW"
grep -q "id=\"kb-result-$art\"" "$TMP/b" && fail "kb: found with no index row" || ok "kb: an article without its index row is not found"
out=$($CTL search rebuild)
case $out in "search index rebuilt: "*" records and "*" articles in "*) ok "kb: crmctl search rebuild rebuilds the articles' index too ($out)" ;; *) fail "kb: rebuild: $out" ;; esac
fetch -b "$TMP/sue" "$BASE/service/kb/search?q=quokka$RW"
grep -q "id=\"kb-result-$art\"" "$TMP/b" && ok "kb: ... and the article is found again" || fail "kb: not found after the rebuild"
[ "$($SQL -e "SELECT COUNT(*) FROM kb_search")" = "$($SQL -e "SELECT COUNT(*) FROM kb_articles")" ] && ok "kb: ... one index row per article" || fail "kb: index rows differ from articles"
