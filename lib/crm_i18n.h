/* Translations and locale formatting for pages served in many languages.
 *
 * A worker loads every compiled catalog (<lang>.mo, made by msgfmt from
 * po/<lang>.po) once at start and answers every lookup from memory, for
 * any language, request after request: no setlocale, no gettext globals,
 * since one worker serves a Chinese page and then an English one. English
 * is the msgid itself, so "en" always exists without a catalog.
 *
 * Language names are catalog names: "en", "zh_CN". The pointers the
 * functions below return for them live as long as the struct crm_i18n.
 * A NULL struct crm_i18n is valid everywhere and means English only. */
#ifndef CRM_I18N_H
#define CRM_I18N_H

#include <stddef.h>

#include "crm.h"
#include "crm_buf.h"

/* Marks a C string for scripts/i18n-extract.sh without translating it:
 * the language is only known per request, where crm_i18n_text looks the
 * string up. _("...") is extracted too, for a module that defines it. */
#define N_(s) (s)

struct crm_i18n;
struct crm_i18n_catalog;        /* one language of a struct crm_i18n */

/* Reads every <lang>.mo in locale_dir. A missing directory is not an
 * error: English only. A .mo that is truncated, has a bad magic number,
 * offsets out of range, strings that are not NUL-terminated or not UTF-8,
 * or a charset other than UTF-8 is CRM_EINVAL; an unreadable one CRM_EIO;
 * err then says "path: reason" and *out is NULL. */
enum crm_err crm_i18n_load(struct crm_i18n **out, const char *locale_dir,
    char *err, size_t errlen);
void crm_i18n_free(struct crm_i18n *);

/* The translation of msgid into lang, or msgid itself when there is none
 * (English, an unknown language, an untranslated or fuzzy string). */
const char *crm_i18n_text(const struct crm_i18n *, const char *lang,
    const char *msgid);

/* The best loaded language for an Accept-Language header (RFC 9110: q
 * values, earlier wins a tie, q=0 refuses). zh, zh-CN, zh-SG and zh-Hans
 * read as zh_CN; zh-TW, zh-HK and zh-Hant do not, as they want traditional
 * characters; en-* is en; "*" and anything else unmatched or malformed is
 * "en". A language name from crm_i18n_languages (a picker's cookie) is
 * accepted too. NULL is "en". */
const char *crm_i18n_negotiate(const struct crm_i18n *, const char *accept_language);

/* Writes up to max language names into out, "en" first, and returns how
 * many there are in all. */
size_t crm_i18n_languages(const struct crm_i18n *, const char **out, size_t max);

/* The BCP 47 tag of a language for <html lang> and Content-Language:
 * "zh_CN" is "zh-CN". "en" for a language that is not loaded. */
const char *crm_i18n_tag(const struct crm_i18n *, const char *lang);

/* Templates are translated when compiled, one crm_tmpl_set per language:
 *   crm_tmpl_set_translator(set, crm_i18n_tmpl_translator,
 *       (void *)crm_i18n_catalog(i18n, lang));
 * crm_i18n_catalog is NULL for English, and the translator then returns
 * the msgid. */
const struct crm_i18n_catalog *crm_i18n_catalog(const struct crm_i18n *,
    const char *lang);
const char *crm_i18n_tmpl_translator(void *catalog, const char *msgid);

/* Locale formatting. Each appends plain text to the buffer (escape it
 * like any other value), and appends malformed input unchanged rather
 * than hide it. Languages other than en and zh_* use English rules. */

/* 1,234,567 in both en and zh_CN. */
void crm_i18n_format_int(struct crm_buf *, const char *lang, long long);

/* A DECIMAL column as MariaDB sends it ("-1234.50"), never through a
 * double: "-$1,234.50", "€1,234.50", "CN¥1,234.50" in en and "¥1,234.50"
 * in zh_CN, "1,234.50 CHF" for a currency without a symbol here. Digits
 * are never rounded away: the fraction is padded to the currency's minor
 * unit (2, 0 for JPY) and only trailing zeros beyond it are dropped. */
void crm_i18n_format_money(struct crm_buf *, const char *lang,
    const char *decimal, const char *currency);

/* A UTC DATETIME ("YYYY-MM-DD HH:MM:SS", fraction ignored) in an IANA
 * time zone: "22 Nov 2026 14:05" in en, "2026年11月22日 14:05" in zh_CN,
 * without the time when with_time is 0. A DATE ("YYYY-MM-DD") is not an
 * instant and is shown as is, without conversion or time. An unknown or
 * malformed zone, NULL or "" is UTC. Zone files are read from
 * /usr/share/zoneinfo once per zone and kept (a few per worker): not
 * thread-safe, as workers are single-threaded. */
void crm_i18n_format_date(struct crm_buf *, const char *lang,
    const char *utc_datetime, const char *time_zone, int with_time);

/* A wall-clock time typed in a zone ("2026-11-29T14:30", seconds
 * optional) as the UTC DATETIME the database keeps; 0 when malformed. */
int crm_i18n_local_to_utc(const char *local, const char *zone, char out[20]);
/* The reverse, as an <input type=datetime-local> value
 * ("2026-11-29T14:30"); 0 when malformed. */
int crm_i18n_utc_to_local(const char *utc, const char *zone, char out[20]);
/* Seconds east of UTC in zone at the UTC instant t (unix seconds); 0 for
 * UTC and for anything that is not a readable zone. */
long crm_i18n_zone_offset(const char *zone, int64_t t);

#endif
